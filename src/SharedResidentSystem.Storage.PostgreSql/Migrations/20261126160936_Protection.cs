using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SharedResidentSystem.Storage.PostgreSql.Migrations
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
                    TenantCode = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    ApplicantResidentNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Contact = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    CoProtected = table.Column<string>(type: "text", nullable: false),
                    Perpetrators = table.Column<string>(type: "text", nullable: false),
                    Services = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    StartsOn = table.Column<DateOnly>(type: "date", nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Provisional = table.Column<bool>(type: "boolean", nullable: false),
                    ProvisionalFrom = table.Column<DateOnly>(type: "date", nullable: true),
                    State = table.Column<int>(type: "integer", nullable: false),
                    EndedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    EndReason = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Periods = table.Column<string>(type: "text", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupportMeasures", x => new { x.TenantCode, x.Id });
                });

            migrationBuilder.CreateTable(
                name: "SuppressionReleases",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    SuppressionId = table.Column<long>(type: "bigint", nullable: false),
                    ReleasedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ForStaff = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ReleasedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SuppressionReleases", x => new { x.TenantCode, x.Id });
                });

            migrationBuilder.CreateTable(
                name: "Suppressions",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    ResidentNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    HouseholdNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Processes = table.Column<int>(type: "integer", nullable: false),
                    Level = table.Column<int>(type: "integer", nullable: false),
                    Category = table.Column<int>(type: "integer", nullable: false),
                    Reason = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    StartsOn = table.Column<DateOnly>(type: "date", nullable: false),
                    EndsOn = table.Column<DateOnly>(type: "date", nullable: true),
                    Active = table.Column<bool>(type: "boolean", nullable: false),
                    SupportMeasureId = table.Column<long>(type: "bigint", nullable: true),
                    CreatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LiftedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ConcurrencyStamp = table.Column<Guid>(type: "uuid", nullable: false)
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
