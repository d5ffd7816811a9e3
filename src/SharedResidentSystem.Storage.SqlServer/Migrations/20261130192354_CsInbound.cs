using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SharedResidentSystem.Storage.SqlServer.Migrations
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
                    TenantCode = table.Column<string>(type: "nvarchar(6)", maxLength: 6, nullable: false),
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    MessageId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    SenderCode = table.Column<string>(type: "nvarchar(6)", maxLength: 6, nullable: false),
                    RecipientCode = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    ResidentCode = table.Column<string>(type: "nvarchar(11)", maxLength: 11, nullable: false),
                    ResidentNumber = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Message = table.Column<byte[]>(type: "varbinary(max)", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    State = table.Column<int>(type: "int", nullable: false),
                    Result = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false),
                    IdouId = table.Column<long>(type: "bigint", nullable: true),
                    ConcurrencyStamp = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
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
