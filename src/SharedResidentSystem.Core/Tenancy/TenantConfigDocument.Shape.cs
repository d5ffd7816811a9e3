using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SharedResidentSystem.Core.Tenancy;

// The document's shape, for deserialisation after the schema has accepted it.
public static partial class TenantConfigDocument
{
    private sealed class DocumentDto
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public string? NameKana { get; set; }
        public string? Prefecture { get; set; }
        public string? StartedOn { get; set; }
        public List<OfficeDto>? Offices { get; set; }
        public List<AuthenticatorDto>? Authenticators { get; set; }
        public Dictionary<string, string>? Seals { get; set; }
        public CertificatesDto? Certificates { get; set; }
        public Dictionary<string, bool>? Options { get; set; }
        public PrintingDto? Printing { get; set; }
        public PersonalNoticeDto? PersonalNotice { get; set; }
        public List<TownDto>? Towns { get; set; }
        public List<DistrictDto>? Districts { get; set; }
        public ApprovalDto? Approval { get; set; }
        public AccessDto? Access { get; set; }
        public RetentionDto? Retention { get; set; }
        public CsLinkDto? CsLink { get; set; }
        public List<LinkedSystemDto>? LinkedSystems { get; set; }
        public JobsDto? Jobs { get; set; }
        [JsonPropertyName("$schema")]
        public string? SchemaReference { get; set; }
    }

    private sealed class OfficeDto
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public string? Address { get; set; }
        public List<TerminalDto>? Terminals { get; set; }
    }

    private sealed class TerminalDto
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public List<PrinterDto>? Printers { get; set; }
    }

    private sealed class PrinterDto
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
    }

    private sealed class AuthenticatorDto
    {
        public string? Role { get; set; }
        public string? Title { get; set; }
        public string? Name { get; set; }
        public string? From { get; set; }
        public string? Until { get; set; }
        public string? Seal { get; set; }
    }

    private sealed class CertificateDto
    {
        public string? AuthText { get; set; }
        public int? Fee { get; set; }
    }

    private sealed class CertificatesDto
    {
        public CertificateDto? ResidentCopy { get; set; }
        public CertificateDto? ItemCertificate { get; set; }
        public CertificateDto? RemovedResidentCopy { get; set; }
        public CertificateDto? RemovedItemCertificate { get; set; }
        public CertificateDto? MoveOutCertificate { get; set; }

        public IEnumerable<(string Kind, CertificateDto Settings)> All()
        {
            foreach (var property in typeof(CertificatesDto).GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetValue(this) is CertificateDto settings)
                {
                    yield return (JsonNamingPolicy.CamelCase.ConvertName(property.Name), settings);
                }
            }
        }
    }

    private sealed class PrintingDto
    {
        public string? Overflow { get; set; }
        public string? SealNote { get; set; }
    }

    private sealed class PersonalNoticeDto
    {
        public string? Condition { get; set; }
        public int? RegistrationYears { get; set; }
    }

    private sealed class TownDto
    {
        public string? Name { get; set; }
        public string? PostalCode { get; set; }
        public ChomeDto? Chome { get; set; }
        public List<string>? Buildings { get; set; }
        public string? Kana { get; set; }
        public string? Code { get; set; }
        public string? Numbering { get; set; }
        public List<BlockDto>? Blocks { get; set; }
        public List<string>? SpecialLots { get; set; }
    }

    private sealed class BlockDto
    {
        public int Chome { get; set; }
        public int Number { get; set; }
        public int From { get; set; }
        public int To { get; set; }
    }

    private sealed class DistrictDto
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public List<DistrictAreaDto>? Areas { get; set; }
    }

    private sealed class DistrictAreaDto
    {
        public string? Town { get; set; }
        public List<int>? Chome { get; set; }
    }

    private sealed class ChomeDto
    {
        public int From { get; set; }
        public int To { get; set; }
    }

    private sealed class ApprovalDto
    {
        public List<string>? RequiredFor { get; set; }
    }

    private sealed class AccessDto
    {
        public List<GrantDto>? Units { get; set; }
        public List<GrantDto>? Users { get; set; }
    }

    private sealed class GrantDto
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public string? Unit { get; set; }
        public List<string>? Functions { get; set; }
        public List<string>? HiddenItems { get; set; }
        public string? From { get; set; }
        public string? Until { get; set; }
    }

    private sealed class CsLinkDto
    {
        public bool Manual { get; set; }
        public Dictionary<string, string>? Characters { get; set; }
    }

    private sealed class LinkedSystemDto
    {
        public string? Id { get; set; }
        public string? Name { get; set; }
        public string? Kind { get; set; }
        public List<string>? Items { get; set; }
        public string? Delivery { get; set; }
        public int? IntervalMinutes { get; set; }
        public List<string>? Reports { get; set; }
    }

    private sealed class JobsDto
    {
        public List<JobScheduleDto>? Schedules { get; set; }
    }

    private sealed class JobScheduleDto
    {
        public string? Id { get; set; }
        public string? Kind { get; set; }
        public string? At { get; set; }
        public string? Every { get; set; }
        public string? Reason { get; set; }
        public RandomExtractionDto? RandomExtraction { get; set; }
    }

    private sealed class RandomExtractionDto
    {
        public int Count { get; set; }
        public long Seed { get; set; }
        public int Sex { get; set; }
        public string? BornFrom { get; set; }
        public string? BornTo { get; set; }
        public List<string>? Districts { get; set; }
        public int ResidentKind { get; set; }
        public string? StratifyBy { get; set; }
    }

    private sealed class RetentionDto
    {
        public int? RemovedRecordsYears { get; set; }
        public int? IssuanceLedgerYears { get; set; }
        public int? AccessLogYears { get; set; }
        public int? ArchiveAfterYears { get; set; }
    }
}
