using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SharedResidentSystem.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Review : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PendingIdous",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RequestType = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Request = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Preview = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Targets = table.Column<string>(type: "TEXT", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    StaffId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TerminalId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    EnteredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    IdouId = table.Column<long>(type: "INTEGER", nullable: true),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PendingIdous", x => new { x.TenantCode, x.Id });
                });

            migrationBuilder.CreateIndex(
                name: "IX_PendingIdous_TenantCode_State",
                table: "PendingIdous",
                columns: new[] { "TenantCode", "State" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PendingIdous");
        }
    }
}
