using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SharedResidentSystem.Storage.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class Foundation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AccessLog",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    Sequence = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StaffId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Roles = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TerminalId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Function = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Targets = table.Column<string>(type: "text", nullable: false),
                    TouchedIndividualNumber = table.Column<bool>(type: "boolean", nullable: false),
                    Outcome = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Detail = table.Column<string>(type: "text", nullable: false),
                    PreviousHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessLog", x => new { x.TenantCode, x.Sequence });
                });

            migrationBuilder.CreateTable(
                name: "IdempotencyRecords",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    RequestId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Method = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RequestHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Response = table.Column<byte[]>(type: "bytea", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdempotencyRecords", x => new { x.TenantCode, x.RequestId });
                });

            migrationBuilder.CreateTable(
                name: "Idous",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    Category = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    OccurredOn = table.Column<DateOnly>(type: "date", nullable: false),
                    NotifiedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    NotifierName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    NotifierRelation = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    StaffId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TerminalId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    RequestId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    State = table.Column<int>(type: "integer", nullable: false),
                    CancelsIdouId = table.Column<long>(type: "bigint", nullable: true),
                    Note = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Summary = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Idous", x => new { x.TenantCode, x.Id });
                });

            migrationBuilder.CreateTable(
                name: "NumberSequences",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    Kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Next = table.Column<long>(type: "bigint", nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NumberSequences", x => new { x.TenantCode, x.Kind });
                });

            migrationBuilder.CreateTable(
                name: "PersonVersions",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    ResidentNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    HistoryNumber = table.Column<int>(type: "integer", nullable: false),
                    IdouId = table.Column<long>(type: "bigint", nullable: false),
                    ValidFrom = table.Column<DateOnly>(type: "date", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FamilyName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    GivenName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    FamilyKana = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    GivenKana = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    KanaConfirmed = table.Column<bool>(type: "boolean", nullable: false),
                    BirthYear = table.Column<int>(type: "integer", nullable: false),
                    BirthMonth = table.Column<int>(type: "integer", nullable: false),
                    BirthDay = table.Column<int>(type: "integer", nullable: false),
                    Sex = table.Column<int>(type: "integer", nullable: false),
                    HouseholdNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Relationship = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AddressPrefecture = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AddressCity = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AddressTown = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AddressChome = table.Column<int>(type: "integer", nullable: false),
                    AddressBanchi = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AddressKatagaki = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    AddressPostalCode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    AddressLocalGovernmentCode = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    AddressFreeText = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    AddressCountry = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PreviousAddressPrefecture = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PreviousAddressCity = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PreviousAddressTown = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PreviousAddressChome = table.Column<int>(type: "integer", nullable: false),
                    PreviousAddressBanchi = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PreviousAddressKatagaki = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    PreviousAddressPostalCode = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    PreviousAddressLocalGovernmentCode = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    PreviousAddressFreeText = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    PreviousAddressCountry = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    BecameResidentOn = table.Column<DateOnly>(type: "date", nullable: true),
                    AddressSetOn = table.Column<DateOnly>(type: "date", nullable: true),
                    NotifiedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    State = table.Column<int>(type: "integer", nullable: false),
                    SearchKana = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    SearchName = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    ETag = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonVersions", x => new { x.TenantCode, x.ResidentNumber, x.HistoryNumber });
                });

            migrationBuilder.CreateTable(
                name: "TenantConfigVersions",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    EffectiveFrom = table.Column<DateOnly>(type: "date", nullable: false),
                    Document = table.Column<string>(type: "text", nullable: false),
                    DocumentHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Author = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TenantConfigVersions", x => new { x.TenantCode, x.Version });
                });

            migrationBuilder.CreateIndex(
                name: "IX_AccessLog_TenantCode_At",
                table: "AccessLog",
                columns: new[] { "TenantCode", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AccessLog_TenantCode_StaffId",
                table: "AccessLog",
                columns: new[] { "TenantCode", "StaffId" });

            migrationBuilder.CreateIndex(
                name: "IX_Idous_TenantCode_RequestId",
                table: "Idous",
                columns: new[] { "TenantCode", "RequestId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PersonVersions_TenantCode_HouseholdNumber",
                table: "PersonVersions",
                columns: new[] { "TenantCode", "HouseholdNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonVersions_TenantCode_IdouId",
                table: "PersonVersions",
                columns: new[] { "TenantCode", "IdouId" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonVersions_TenantCode_SearchKana",
                table: "PersonVersions",
                columns: new[] { "TenantCode", "SearchKana" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonVersions_TenantCode_SearchName",
                table: "PersonVersions",
                columns: new[] { "TenantCode", "SearchName" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccessLog");

            migrationBuilder.DropTable(
                name: "IdempotencyRecords");

            migrationBuilder.DropTable(
                name: "Idous");

            migrationBuilder.DropTable(
                name: "NumberSequences");

            migrationBuilder.DropTable(
                name: "PersonVersions");

            migrationBuilder.DropTable(
                name: "TenantConfigVersions");
        }
    }
}
