using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SharedResidentSystem.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Protection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SupportMeasures",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    ApplicantResidentNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Contact = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    CoProtected = table.Column<string>(type: "TEXT", nullable: false),
                    Perpetrators = table.Column<string>(type: "TEXT", nullable: false),
                    Services = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    StartsOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Provisional = table.Column<bool>(type: "INTEGER", nullable: false),
                    ProvisionalFrom = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    EndedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    EndReason = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Periods = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupportMeasures", x => new { x.TenantCode, x.Id });
                });

            migrationBuilder.CreateTable(
                name: "SuppressionReleases",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    SuppressionId = table.Column<long>(type: "INTEGER", nullable: false),
                    ReleasedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ForStaff = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ReleasedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SuppressionReleases", x => new { x.TenantCode, x.Id });
                });

            migrationBuilder.CreateTable(
                name: "Suppressions",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    ResidentNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    HouseholdNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Processes = table.Column<int>(type: "INTEGER", nullable: false),
                    Level = table.Column<int>(type: "INTEGER", nullable: false),
                    Category = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    StartsOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false),
                    SupportMeasureId = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LiftedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Suppressions", x => new { x.TenantCode, x.Id });
                });

            migrationBuilder.CreateIndex(
                name: "IX_SupportMeasures_TenantCode_State",
                table: "SupportMeasures",
                columns: new[] { "TenantCode", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_SuppressionReleases_TenantCode_SuppressionId",
                table: "SuppressionReleases",
                columns: new[] { "TenantCode", "SuppressionId" });

            migrationBuilder.CreateIndex(
                name: "IX_Suppressions_TenantCode_HouseholdNumber",
                table: "Suppressions",
                columns: new[] { "TenantCode", "HouseholdNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_Suppressions_TenantCode_ResidentNumber",
                table: "Suppressions",
                columns: new[] { "TenantCode", "ResidentNumber" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SupportMeasures");

            migrationBuilder.DropTable(
                name: "SuppressionReleases");

            migrationBuilder.DropTable(
                name: "Suppressions");
        }
    }
}
