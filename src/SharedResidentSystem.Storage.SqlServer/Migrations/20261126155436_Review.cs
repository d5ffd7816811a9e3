using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SharedResidentSystem.Storage.SqlServer.Migrations
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
                    TenantCode = table.Column<string>(type: "nvarchar(6)", maxLength: 6, nullable: false),
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    RequestType = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Request = table.Column<byte[]>(type: "varbinary(max)", nullable: false),
                    Preview = table.Column<byte[]>(type: "varbinary(max)", nullable: false),
                    Targets = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    State = table.Column<int>(type: "int", nullable: false),
                    StaffId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    TerminalId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    EnteredAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    IdouId = table.Column<long>(type: "bigint", nullable: true),
                    ConcurrencyStamp = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
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
