using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SharedResidentSystem.Storage.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class Certificates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "IssuanceDisposals",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "nvarchar(6)", maxLength: 6, nullable: false),
                    IssuanceId = table.Column<long>(type: "bigint", nullable: false),
                    DisposedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    StaffId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IssuanceDisposals", x => new { x.TenantCode, x.IssuanceId });
                });

            migrationBuilder.CreateTable(
                name: "Issuances",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "nvarchar(6)", maxLength: 6, nullable: false),
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    IssuedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    IssuedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    StaffId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    TerminalId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    OfficeName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    TerminalName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    PrinterId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    PrinterName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Layout = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    IncludeHistory = table.Column<bool>(type: "bit", nullable: false),
                    RequesterCategory = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    RequesterName = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    RequesterDetail = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Residents = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Items = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false),
                    IndividualNumberPrinted = table.Column<bool>(type: "bit", nullable: false),
                    ResidentCodePrinted = table.Column<bool>(type: "bit", nullable: false),
                    Copies = table.Column<int>(type: "int", nullable: false),
                    Pages = table.Column<int>(type: "int", nullable: false),
                    Fee = table.Column<int>(type: "int", nullable: false),
                    OfficialUse = table.Column<bool>(type: "bit", nullable: false),
                    Reissue = table.Column<bool>(type: "bit", nullable: false),
                    Delivery = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Outcome = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    OutcomeMessage = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    ConfigVersion = table.Column<int>(type: "int", nullable: false),
                    Overflows = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    Content = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Issuances", x => new { x.TenantCode, x.Id });
                });

            migrationBuilder.CreateTable(
                name: "IssuedCopies",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "nvarchar(6)", maxLength: 6, nullable: false),
                    IssuanceId = table.Column<long>(type: "bigint", nullable: false),
                    CopyNumber = table.Column<int>(type: "int", nullable: false),
                    IssueNumber = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    VerificationCode = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    ContentHash = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Pdf = table.Column<byte[]>(type: "varbinary(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IssuedCopies", x => new { x.TenantCode, x.IssuanceId, x.CopyNumber });
                });

            migrationBuilder.CreateTable(
                name: "PersonalNoticeRegistrations",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "nvarchar(6)", maxLength: 6, nullable: false),
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    ResidentNumber = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    SendTo = table.Column<string>(type: "nvarchar(400)", maxLength: 400, nullable: false),
                    RegisteredOn = table.Column<DateOnly>(type: "date", nullable: false),
                    ExpiresOn = table.Column<DateOnly>(type: "date", nullable: false),
                    EndedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    StaffId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonalNoticeRegistrations", x => new { x.TenantCode, x.Id });
                });

            migrationBuilder.CreateTable(
                name: "PersonalNotices",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "nvarchar(6)", maxLength: 6, nullable: false),
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    RegistrationId = table.Column<long>(type: "bigint", nullable: false),
                    IssuanceId = table.Column<long>(type: "bigint", nullable: false),
                    ResidentNumber = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    IssuedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    RequesterCategory = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Copies = table.Column<int>(type: "int", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonalNotices", x => new { x.TenantCode, x.Id });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Issuances_TenantCode_IssuedOn",
                table: "Issuances",
                columns: new[] { "TenantCode", "IssuedOn" });

            migrationBuilder.CreateIndex(
                name: "IX_IssuedCopies_VerificationCode",
                table: "IssuedCopies",
                column: "VerificationCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PersonalNoticeRegistrations_TenantCode_ResidentNumber",
                table: "PersonalNoticeRegistrations",
                columns: new[] { "TenantCode", "ResidentNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonalNotices_TenantCode_ResidentNumber",
                table: "PersonalNotices",
                columns: new[] { "TenantCode", "ResidentNumber" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "IssuanceDisposals");

            migrationBuilder.DropTable(
                name: "Issuances");

            migrationBuilder.DropTable(
                name: "IssuedCopies");

            migrationBuilder.DropTable(
                name: "PersonalNoticeRegistrations");

            migrationBuilder.DropTable(
                name: "PersonalNotices");
        }
    }
}
