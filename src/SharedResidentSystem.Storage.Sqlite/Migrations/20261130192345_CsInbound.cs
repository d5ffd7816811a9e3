using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SharedResidentSystem.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CsInbound : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CsInbound",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SenderCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    RecipientCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResidentCode = table.Column<string>(type: "TEXT", maxLength: 11, nullable: false),
                    ResidentNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Message = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    Result = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    IdouId = table.Column<long>(type: "INTEGER", nullable: true),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CsInbound", x => new { x.TenantCode, x.Id });
                });

            migrationBuilder.CreateIndex(
                name: "IX_CsInbound_TenantCode_MessageId",
                table: "CsInbound",
                columns: new[] { "TenantCode", "MessageId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CsInbound_TenantCode_State",
                table: "CsInbound",
                columns: new[] { "TenantCode", "State" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CsInbound");
        }
    }
}
