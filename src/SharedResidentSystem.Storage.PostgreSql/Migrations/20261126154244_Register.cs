using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SharedResidentSystem.Storage.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class Register : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "SearchName",
                table: "PersonVersions",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                collation: "C",
                oldClrType: typeof(string),
                oldType: "character varying(400)",
                oldMaxLength: 400);

            migrationBuilder.AlterColumn<string>(
                name: "SearchKana",
                table: "PersonVersions",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                collation: "C",
                oldClrType: typeof(string),
                oldType: "character varying(400)",
                oldMaxLength: 400);

            migrationBuilder.AddColumn<string>(
                name: "AlphabetName",
                table: "PersonVersions",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "BasicPensionNumber",
                table: "PersonVersions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ChildAllowanceFrom",
                table: "PersonVersions",
                type: "character varying(7)",
                maxLength: 7,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ChildAllowanceUntil",
                table: "PersonVersions",
                type: "character varying(7)",
                maxLength: 7,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "CommonName",
                table: "PersonVersions",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "CommonNameDeletedBy",
                table: "PersonVersions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateOnly>(
                name: "CommonNameDeletedOn",
                table: "PersonVersions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CommonNameKana",
                table: "PersonVersions",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "CommonNameRecordedBy",
                table: "PersonVersions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateOnly>(
                name: "CommonNameRecordedOn",
                table: "PersonVersions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DestinationBanchi",
                table: "PersonVersions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "DestinationChome",
                table: "PersonVersions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "DestinationCity",
                table: "PersonVersions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "DestinationCountry",
                table: "PersonVersions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "DestinationFreeText",
                table: "PersonVersions",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "DestinationKatagaki",
                table: "PersonVersions",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "DestinationLocalGovernmentCode",
                table: "PersonVersions",
                type: "character varying(6)",
                maxLength: 6,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "DestinationPostalCode",
                table: "PersonVersions",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "DestinationPrefecture",
                table: "PersonVersions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "DestinationTown",
                table: "PersonVersions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Domicile",
                table: "PersonVersions",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "DomicileHead",
                table: "PersonVersions",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "ForeignCategory",
                table: "PersonVersions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "IndividualNumber",
                table: "PersonVersions",
                type: "character varying(12)",
                maxLength: 12,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "Kind",
                table: "PersonVersions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "LateElderlyMedical",
                table: "PersonVersions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateOnly>(
                name: "LateElderlyMedicalFrom",
                table: "PersonVersions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "LateElderlyMedicalUntil",
                table: "PersonVersions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "LongTermCare",
                table: "PersonVersions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateOnly>(
                name: "LongTermCareFrom",
                table: "PersonVersions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "LongTermCareUntil",
                table: "PersonVersions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "NationalHealthInsurance",
                table: "PersonVersions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateOnly>(
                name: "NationalHealthInsuranceFrom",
                table: "PersonVersions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "NationalHealthInsuranceUntil",
                table: "PersonVersions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "NationalPension",
                table: "PersonVersions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateOnly>(
                name: "NationalPensionFrom",
                table: "PersonVersions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NationalPensionKind",
                table: "PersonVersions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateOnly>(
                name: "NationalPensionKindChangedOn",
                table: "PersonVersions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "NationalPensionUntil",
                table: "PersonVersions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Nationality",
                table: "PersonVersions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "OldSurname",
                table: "PersonVersions",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "OldSurnameKana",
                table: "PersonVersions",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<bool>(
                name: "OnElectoralRoll",
                table: "PersonVersions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "PeriodOfStay",
                table: "PersonVersions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateOnly>(
                name: "RemovalOn",
                table: "PersonVersions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RemovalReason",
                table: "PersonVersions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ResidenceCardNumber",
                table: "PersonVersions",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ResidenceStatus",
                table: "PersonVersions",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ResidentCode",
                table: "PersonVersions",
                type: "character varying(11)",
                maxLength: 11,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SearchGivenKana",
                table: "PersonVersions",
                type: "character varying(200)",
                maxLength: 200,
                nullable: false,
                defaultValue: "",
                collation: "C");

            migrationBuilder.AddColumn<DateOnly>(
                name: "StayExpiresOn",
                table: "PersonVersions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AcknowledgedAlerts",
                table: "Idous",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "PersonSearchKeys",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false, collation: "C"),
                    ResidentNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    HistoryNumber = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonSearchKeys", x => new { x.TenantCode, x.Key, x.ResidentNumber, x.HistoryNumber });
                });

            migrationBuilder.CreateIndex(
                name: "IX_PersonVersions_AddressTown",
                table: "PersonVersions",
                column: "AddressTown");

            migrationBuilder.CreateIndex(
                name: "IX_PersonVersions_TenantCode_BirthYear_BirthMonth_BirthDay",
                table: "PersonVersions",
                columns: new[] { "TenantCode", "BirthYear", "BirthMonth", "BirthDay" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonVersions_TenantCode_IndividualNumber",
                table: "PersonVersions",
                columns: new[] { "TenantCode", "IndividualNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonVersions_TenantCode_ResidenceCardNumber",
                table: "PersonVersions",
                columns: new[] { "TenantCode", "ResidenceCardNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonVersions_TenantCode_ResidentCode",
                table: "PersonVersions",
                columns: new[] { "TenantCode", "ResidentCode" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonVersions_TenantCode_SearchGivenKana",
                table: "PersonVersions",
                columns: new[] { "TenantCode", "SearchGivenKana" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PersonSearchKeys");

            migrationBuilder.DropIndex(
                name: "IX_PersonVersions_AddressTown",
                table: "PersonVersions");

            migrationBuilder.DropIndex(
                name: "IX_PersonVersions_TenantCode_BirthYear_BirthMonth_BirthDay",
                table: "PersonVersions");

            migrationBuilder.DropIndex(
                name: "IX_PersonVersions_TenantCode_IndividualNumber",
                table: "PersonVersions");

            migrationBuilder.DropIndex(
                name: "IX_PersonVersions_TenantCode_ResidenceCardNumber",
                table: "PersonVersions");

            migrationBuilder.DropIndex(
                name: "IX_PersonVersions_TenantCode_ResidentCode",
                table: "PersonVersions");

            migrationBuilder.DropIndex(
                name: "IX_PersonVersions_TenantCode_SearchGivenKana",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "AlphabetName",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "BasicPensionNumber",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "ChildAllowanceFrom",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "ChildAllowanceUntil",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "CommonName",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "CommonNameDeletedBy",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "CommonNameDeletedOn",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "CommonNameKana",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "CommonNameRecordedBy",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "CommonNameRecordedOn",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "DestinationBanchi",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "DestinationChome",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "DestinationCity",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "DestinationCountry",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "DestinationFreeText",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "DestinationKatagaki",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "DestinationLocalGovernmentCode",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "DestinationPostalCode",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "DestinationPrefecture",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "DestinationTown",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "Domicile",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "DomicileHead",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "ForeignCategory",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "IndividualNumber",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "LateElderlyMedical",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "LateElderlyMedicalFrom",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "LateElderlyMedicalUntil",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "LongTermCare",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "LongTermCareFrom",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "LongTermCareUntil",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "NationalHealthInsurance",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "NationalHealthInsuranceFrom",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "NationalHealthInsuranceUntil",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "NationalPension",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "NationalPensionFrom",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "NationalPensionKind",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "NationalPensionKindChangedOn",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "NationalPensionUntil",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "Nationality",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "OldSurname",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "OldSurnameKana",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "OnElectoralRoll",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "PeriodOfStay",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "RemovalOn",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "RemovalReason",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "ResidenceCardNumber",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "ResidenceStatus",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "ResidentCode",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "SearchGivenKana",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "StayExpiresOn",
                table: "PersonVersions");

            migrationBuilder.DropColumn(
                name: "AcknowledgedAlerts",
                table: "Idous");

            migrationBuilder.AlterColumn<string>(
                name: "SearchName",
                table: "PersonVersions",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(400)",
                oldMaxLength: 400,
                oldCollation: "C");

            migrationBuilder.AlterColumn<string>(
                name: "SearchKana",
                table: "PersonVersions",
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(400)",
                oldMaxLength: 400,
                oldCollation: "C");
        }
    }
}
