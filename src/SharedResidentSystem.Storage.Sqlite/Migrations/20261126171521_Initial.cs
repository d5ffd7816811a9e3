using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SharedResidentSystem.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AccessLog",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StaffId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Roles = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TerminalId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Function = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Targets = table.Column<string>(type: "TEXT", nullable: false),
                    TouchedIndividualNumber = table.Column<bool>(type: "INTEGER", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Detail = table.Column<string>(type: "TEXT", nullable: false),
                    PreviousHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccessLog", x => new { x.TenantCode, x.Sequence });
                });

            migrationBuilder.CreateTable(
                name: "IdempotencyRecords",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    RequestId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    RequestHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Response = table.Column<byte[]>(type: "BLOB", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdempotencyRecords", x => new { x.TenantCode, x.RequestId });
                });

            migrationBuilder.CreateTable(
                name: "Idous",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OccurredOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    NotifiedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    NotifierName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    NotifierRelation = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StaffId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TerminalId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RequestId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    CancelsIdouId = table.Column<long>(type: "INTEGER", nullable: true),
                    AcknowledgedAlerts = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Summary = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Idous", x => new { x.TenantCode, x.Id });
                });

            migrationBuilder.CreateTable(
                name: "Memos",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    MemoId = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    ResidentNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Deleted = table.Column<bool>(type: "INTEGER", nullable: false),
                    StaffId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Memos", x => new { x.TenantCode, x.MemoId, x.Version });
                });

            migrationBuilder.CreateTable(
                name: "NumberSequences",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Next = table.Column<long>(type: "INTEGER", nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NumberSequences", x => new { x.TenantCode, x.Kind });
                });

            migrationBuilder.CreateTable(
                name: "Outbox",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    Topic = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IdouId = table.Column<long>(type: "INTEGER", nullable: false),
                    ResidentNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    NotBefore = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    Result = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Outbox", x => new { x.TenantCode, x.Id });
                });

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

            migrationBuilder.CreateTable(
                name: "PersonSearchKeys",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ResidentNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    HistoryNumber = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonSearchKeys", x => new { x.TenantCode, x.Key, x.ResidentNumber, x.HistoryNumber });
                });

            migrationBuilder.CreateTable(
                name: "PersonVersions",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    ResidentNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    HistoryNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    IdouId = table.Column<long>(type: "INTEGER", nullable: false),
                    ValidFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    FamilyName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    GivenName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    FamilyKana = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    GivenKana = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    KanaConfirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    AlphabetName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    OldSurname = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    OldSurnameKana = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CommonName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CommonNameKana = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CommonNameRecordedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    CommonNameRecordedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CommonNameDeletedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    CommonNameDeletedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BirthYear = table.Column<int>(type: "INTEGER", nullable: false),
                    BirthMonth = table.Column<int>(type: "INTEGER", nullable: false),
                    BirthDay = table.Column<int>(type: "INTEGER", nullable: false),
                    Sex = table.Column<int>(type: "INTEGER", nullable: false),
                    HouseholdNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Relationship = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Domicile = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    DomicileHead = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    AddressPrefecture = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AddressCity = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AddressTown = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AddressChome = table.Column<int>(type: "INTEGER", nullable: false),
                    AddressBanchi = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AddressKatagaki = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    AddressPostalCode = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    AddressLocalGovernmentCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    AddressFreeText = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    AddressCountry = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PreviousAddressPrefecture = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PreviousAddressCity = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PreviousAddressTown = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PreviousAddressChome = table.Column<int>(type: "INTEGER", nullable: false),
                    PreviousAddressBanchi = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PreviousAddressKatagaki = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    PreviousAddressPostalCode = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    PreviousAddressLocalGovernmentCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    PreviousAddressFreeText = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    PreviousAddressCountry = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    BecameResidentOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    AddressSetOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    NotifiedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    IndividualNumber = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    ResidentCode = table.Column<string>(type: "TEXT", maxLength: 11, nullable: false),
                    OnElectoralRoll = table.Column<bool>(type: "INTEGER", nullable: false),
                    NationalHealthInsurance = table.Column<bool>(type: "INTEGER", nullable: false),
                    NationalHealthInsuranceFrom = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    NationalHealthInsuranceUntil = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    LateElderlyMedical = table.Column<bool>(type: "INTEGER", nullable: false),
                    LateElderlyMedicalFrom = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    LateElderlyMedicalUntil = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    LongTermCare = table.Column<bool>(type: "INTEGER", nullable: false),
                    LongTermCareFrom = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    LongTermCareUntil = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    NationalPension = table.Column<bool>(type: "INTEGER", nullable: false),
                    BasicPensionNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    NationalPensionKind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    NationalPensionKindChangedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    NationalPensionFrom = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    NationalPensionUntil = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ChildAllowanceFrom = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    ChildAllowanceUntil = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    Nationality = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ForeignCategory = table.Column<int>(type: "INTEGER", nullable: false),
                    ResidenceStatus = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PeriodOfStay = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StayExpiresOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ResidenceCardNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    RemovalReason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RemovalOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    DestinationPrefecture = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DestinationCity = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DestinationTown = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DestinationChome = table.Column<int>(type: "INTEGER", nullable: false),
                    DestinationBanchi = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DestinationKatagaki = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    DestinationPostalCode = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    DestinationLocalGovernmentCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    DestinationFreeText = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    DestinationCountry = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MoveInNoticeOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    MoveOutConfirmedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ConfirmedDestinationPrefecture = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ConfirmedDestinationCity = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ConfirmedDestinationTown = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ConfirmedDestinationChome = table.Column<int>(type: "INTEGER", nullable: false),
                    ConfirmedDestinationBanchi = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ConfirmedDestinationKatagaki = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ConfirmedDestinationPostalCode = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    ConfirmedDestinationLocalGovernmentCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    ConfirmedDestinationFreeText = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    ConfirmedDestinationCountry = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LastRegisteredAddressPrefecture = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LastRegisteredAddressCity = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LastRegisteredAddressTown = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LastRegisteredAddressChome = table.Column<int>(type: "INTEGER", nullable: false),
                    LastRegisteredAddressBanchi = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LastRegisteredAddressKatagaki = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    LastRegisteredAddressPostalCode = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    LastRegisteredAddressLocalGovernmentCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    LastRegisteredAddressFreeText = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    LastRegisteredAddressCountry = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SearchKana = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    SearchGivenKana = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SearchName = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    ETag = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonVersions", x => new { x.TenantCode, x.ResidentNumber, x.HistoryNumber });
                });

            migrationBuilder.CreateTable(
                name: "ResidentCodeStock",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 11, nullable: false),
                    ImportedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AssignedTo = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    AssignedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ConcurrencyStamp = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResidentCodeStock", x => new { x.TenantCode, x.Code });
                });

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

            migrationBuilder.CreateTable(
                name: "TenantConfigVersions",
                columns: table => new
                {
                    TenantCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    EffectiveFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Document = table.Column<string>(type: "TEXT", nullable: false),
                    DocumentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Author = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                name: "IX_Memos_TenantCode_ResidentNumber",
                table: "Memos",
                columns: new[] { "TenantCode", "ResidentNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_Outbox_TenantCode_Topic_State_NotBefore",
                table: "Outbox",
                columns: new[] { "TenantCode", "Topic", "State", "NotBefore" });

            migrationBuilder.CreateIndex(
                name: "IX_PendingIdous_TenantCode_State",
                table: "PendingIdous",
                columns: new[] { "TenantCode", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonVersions_AddressTown",
                table: "PersonVersions",
                column: "AddressTown");

            migrationBuilder.CreateIndex(
                name: "IX_PersonVersions_TenantCode_BirthYear_BirthMonth_BirthDay",
                table: "PersonVersions",
                columns: new[] { "TenantCode", "BirthYear", "BirthMonth", "BirthDay" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonVersions_TenantCode_HouseholdNumber",
                table: "PersonVersions",
                columns: new[] { "TenantCode", "HouseholdNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonVersions_TenantCode_IdouId",
                table: "PersonVersions",
                columns: new[] { "TenantCode", "IdouId" });

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

            migrationBuilder.CreateIndex(
                name: "IX_PersonVersions_TenantCode_SearchKana",
                table: "PersonVersions",
                columns: new[] { "TenantCode", "SearchKana" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonVersions_TenantCode_SearchName",
                table: "PersonVersions",
                columns: new[] { "TenantCode", "SearchName" });

            migrationBuilder.CreateIndex(
                name: "IX_ResidentCodeStock_TenantCode_AssignedTo",
                table: "ResidentCodeStock",
                columns: new[] { "TenantCode", "AssignedTo" });

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
                name: "AccessLog");

            migrationBuilder.DropTable(
                name: "IdempotencyRecords");

            migrationBuilder.DropTable(
                name: "Idous");

            migrationBuilder.DropTable(
                name: "Memos");

            migrationBuilder.DropTable(
                name: "NumberSequences");

            migrationBuilder.DropTable(
                name: "Outbox");

            migrationBuilder.DropTable(
                name: "PendingIdous");

            migrationBuilder.DropTable(
                name: "PersonSearchKeys");

            migrationBuilder.DropTable(
                name: "PersonVersions");

            migrationBuilder.DropTable(
                name: "ResidentCodeStock");

            migrationBuilder.DropTable(
                name: "SupportMeasures");

            migrationBuilder.DropTable(
                name: "SuppressionReleases");

            migrationBuilder.DropTable(
                name: "Suppressions");

            migrationBuilder.DropTable(
                name: "TenantConfigVersions");
        }
    }
}
