using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Json.Schema;
using SharedResidentSystem.Core.Numbers;

namespace SharedResidentSystem.Core.Tenancy;

/// <summary>One thing wrong in a configuration document, at its JSON path (e.g. $.towns[3].postalCode).</summary>
public sealed record ConfigProblem(string Path, string Code, string Message)
{
    public override string ToString() => $"{Path}: {Code}: {Message}";
}

/// <summary>The outcome of reading a document: the city it describes, or every problem found.</summary>
public sealed record ConfigReadResult(TenantDefinition? Definition, IReadOnlyList<ConfigProblem> Problems)
{
    public bool IsValid => Definition is not null && Problems.Count == 0;
}

/// <summary>
/// Reads a city's configuration document: first against the published JSON Schema
/// (config/schema/tenant-config.schema.json, embedded in this assembly), then the rules a
/// schema cannot say (check digits, periods, references). Every problem is reported with
/// its path; a document with any problem yields no definition, so nothing is applied in part.
/// </summary>
public static partial class TenantConfigDocument
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        using var stream = typeof(TenantConfigDocument).Assembly.GetManifestResourceStream("tenant-config.schema.json")
            ?? throw new InvalidOperationException("The configuration schema is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return JsonSchema.FromText(reader.ReadToEnd());
    });

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The schema text as published.</summary>
    public static string SchemaText()
    {
        using var stream = typeof(TenantConfigDocument).Assembly.GetManifestResourceStream("tenant-config.schema.json")!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>SHA-256 of the document text: the etag of a configuration version.</summary>
    public static string Hash(string document) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(document)));

    public static ConfigReadResult Read(string document)
    {
        var problems = new List<ConfigProblem>();
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(document, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            problems.Add(new ConfigProblem($"$ (line {e.LineNumber + 1})", "json", $"JSONとして読めません: {e.Message}"));
            return new ConfigReadResult(null, problems);
        }
        using (parsed)
        {
            var results = Schema.Value.Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!results.IsValid)
            {
                foreach (var detail in results.Details ?? [])
                {
                    foreach (var (keyword, message) in detail.Errors ?? new Dictionary<string, string>())
                    {
                        problems.AddRange(FromSchema(ToJsonPath(detail.InstanceLocation.ToString()), keyword, message));
                    }
                }
                if (problems.Count == 0)
                {
                    problems.Add(new ConfigProblem("$", "schema", "スキーマに適合しません。"));
                }
                return new ConfigReadResult(null, Distinct(problems));
            }
        }
        var dto = JsonSerializer.Deserialize<DocumentDto>(document, Json)!;
        var definition = Build(dto, document, problems);
        return new ConfigReadResult(problems.Count == 0 ? definition : null, problems);
    }

    private static List<ConfigProblem> Distinct(List<ConfigProblem> problems) =>
        problems.DistinctBy(p => (p.Path, p.Code)).OrderBy(p => p.Path, StringComparer.Ordinal).ToList();

    /// <summary>"/towns/3/postalCode" → "$.towns[3].postalCode".</summary>
    internal static string ToJsonPath(string pointer)
    {
        var builder = new StringBuilder("$");
        foreach (var raw in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (segment.All(char.IsAsciiDigit))
            {
                builder.Append('[').Append(segment).Append(']');
            }
            else if (segment.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                builder.Append('.').Append(segment);
            }
            else
            {
                builder.Append("['").Append(segment).Append("']");
            }
        }
        return builder.ToString();
    }

    private static IEnumerable<ConfigProblem> FromSchema(string path, string keyword, string message)
    {
        switch (keyword)
        {
            case "required":
                foreach (Match m in QuotedName().Matches(message))
                {
                    yield return new ConfigProblem(Child(path, m.Groups[1].Value), "required", "必須です。");
                }
                yield break;
            case "":
            case "false":
                yield return new ConfigProblem(path, "unknown", "この項目は定義されていません (綴りを確認してください)。");
                yield break;
            default:
                yield return new ConfigProblem(path, keyword, keyword switch
                {
                    "type" => "型が違います。",
                    "pattern" => "書式が違います (空欄・桁数・日付 yyyy-MM-dd などを確認してください)。",
                    "enum" => "決められた値のいずれかを指定してください。",
                    "minItems" => "一つ以上必要です。",
                    "minimum" or "maximum" => "値が範囲外です。",
                    "uniqueItems" => "同じ値が重複しています。",
                    "minLength" => "短すぎます。",
                    _ => message,
                });
                yield break;
        }
    }

    private static string Child(string path, string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? $"{path}.{name}" : $"{path}['{name}']";

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex QuotedName();

    private static DateOnly? Date(string? text, string path, List<ConfigProblem> problems)
    {
        if (text is null)
        {
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        problems.Add(new ConfigProblem(path, "date", $"日付ではありません: '{text}'"));
        return null;
    }

    private static void Unique<T>(IEnumerable<T> items, Func<T, string> key, string path, string label, List<ConfigProblem> problems)
    {
        foreach (var duplicate in items.GroupBy(key).Where(g => g.Count() > 1))
        {
            problems.Add(new ConfigProblem(path, "duplicate", $"{label} '{duplicate.Key}' が重複しています。"));
        }
    }

    private static TenantDefinition Build(DocumentDto d, string document, List<ConfigProblem> problems)
    {
        if (!CheckDigits.IsValidLocalGovernmentCode(d.Code))
        {
            problems.Add(new ConfigProblem("$.code", "check-digit", $"地方公共団体コード '{d.Code}' の検査数字が正しくありません。"));
        }

        var offices = d.Offices!.Select(o => new OfficeEntry(o.Id!, o.Name!.Trim(), o.Address?.Trim() ?? "",
            o.Terminals!.Select(t => new TerminalEntry(t.Id!, t.Name!.Trim(), (t.Printers ?? []).Select(p => new PrinterEntry(p.Id!, p.Name!.Trim())).ToList())).ToList())).ToList();
        Unique(offices, o => o.Id, "$.offices", "入力場所 id", problems);
        Unique(offices.SelectMany(o => o.Terminals), t => t.Id, "$.offices", "端末 id", problems);
        for (var i = 0; i < offices.Count; i++)
        {
            for (var j = 0; j < offices[i].Terminals.Count; j++)
            {
                Unique(offices[i].Terminals[j].Printers, p => p.Id, $"$.offices[{i}].terminals[{j}].printers", "プリンタ id", problems);
            }
        }

        var seals = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, base64) in d.Seals ?? [])
        {
            var path = Child("$.seals", key);
            try
            {
                var bytes = Convert.FromBase64String(base64);
                if (bytes.Length < 8 || !bytes.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }))
                {
                    problems.Add(new ConfigProblem(path, "png", "PNG 画像ではありません。"));
                }
                seals[key] = bytes;
            }
            catch (FormatException)
            {
                problems.Add(new ConfigProblem(path, "base64", "base64 として読めません。"));
            }
        }

        var authenticators = new List<Authenticator>();
        for (var i = 0; i < d.Authenticators!.Count; i++)
        {
            var a = d.Authenticators[i];
            var path = $"$.authenticators[{i}]";
            var from = Date(a.From, $"{path}.from", problems) ?? DateOnly.MinValue;
            var until = Date(a.Until, $"{path}.until", problems);
            if (until < from)
            {
                problems.Add(new ConfigProblem($"{path}.until", "period", "終了日が開始日より前です。"));
            }
            if (a.Seal is not null && !(d.Seals?.ContainsKey(a.Seal) ?? false))
            {
                problems.Add(new ConfigProblem($"{path}.seal", "reference", $"公印 '{a.Seal}' が $.seals にありません。"));
            }
            authenticators.Add(new Authenticator(a.Role == "deputy" ? AuthenticatorRole.Deputy : AuthenticatorRole.Mayor, a.Title!.Trim(), a.Name!.Trim(), from, until, a.Seal ?? ""));
        }
        if (authenticators.All(a => a.Role != AuthenticatorRole.Mayor))
        {
            problems.Add(new ConfigProblem("$.authenticators", "mayor", "市区町村長 (role: mayor) を一人以上登録してください。"));
        }
        foreach (var role in new[] { AuthenticatorRole.Mayor, AuthenticatorRole.Deputy })
        {
            var same = authenticators.Select((a, i) => (a, i)).Where(x => x.a.Role == role).OrderBy(x => x.a.From).ToList();
            for (var k = 1; k < same.Count; k++)
            {
                var previous = same[k - 1].a;
                if (previous.Until is null || previous.Until >= same[k].a.From)
                {
                    problems.Add(new ConfigProblem($"$.authenticators[{same[k].i}].from", "overlap",
                        $"在任期間が $.authenticators[{same[k - 1].i}] と重なっています (前任者に until を設定してください)。"));
                }
            }
        }

        var certificates = new Dictionary<string, CertificateSettings>(TenantDefaults.Certificates, StringComparer.Ordinal);
        foreach (var (kind, settings) in d.Certificates?.All() ?? [])
        {
            var defaults = TenantDefaults.Certificates[kind];
            certificates[kind] = new CertificateSettings(settings.AuthText?.Trim() ?? defaults.AuthText, settings.Fee ?? defaults.Fee);
        }

        var optionsOn = new HashSet<string>(TenantDefaults.OptionsOn, StringComparer.Ordinal);
        foreach (var (section, on) in d.Options ?? [])
        {
            if (on && !TenantDefaults.AvailableOptions.Contains(section))
            {
                problems.Add(new ConfigProblem(Child("$.options", section), "not-available", $"標準オプション機能 {section} はこの版では提供していません。false にするか削除してください。"));
            }
            if (!on && TenantDefaults.AlwaysOn.Contains(section))
            {
                problems.Add(new ConfigProblem(Child("$.options", section), "always-on", $"標準オプション機能 {section} はこの版では常に有効です。true にするか削除してください。"));
            }
            if (on)
            {
                optionsOn.Add(section);
            }
            else
            {
                optionsOn.Remove(section);
            }
        }

        var towns = new List<TownEntry>();
        for (var i = 0; i < d.Towns!.Count; i++)
        {
            var t = d.Towns[i];
            if (t.Chome is { } chome && chome.To < chome.From)
            {
                problems.Add(new ConfigProblem($"$.towns[{i}].chome.to", "range", "丁目の終わりが始まりより小さくなっています。"));
            }
            var buildings = (t.Buildings ?? []).Select(b => b.Trim()).ToList();
            Unique(buildings, b => b, $"$.towns[{i}].buildings", "方書", problems);
            towns.Add(new TownEntry(t.Name!.Trim(), t.PostalCode!) { Chome = t.Chome is { } c ? (c.From, c.To) : null, Buildings = buildings });
        }
        Unique(towns, t => t.Name, "$.towns", "町字", problems);

        var approval = new HashSet<string>(StringComparer.Ordinal);
        var required = d.Approval?.RequiredFor ?? [];
        for (var i = 0; i < required.Count; i++)
        {
            if (!Registration.IdouReason.IsKnown(required[i]))
            {
                problems.Add(new ConfigProblem($"$.approval.requiredFor[{i}]", "reason", $"「{required[i]}」は異動事由 (1.2.2) ではありません。"));
            }
            approval.Add(required[i]);
        }

        AccessPolicy? access = null;
        if (d.Access is { } a2)
        {
            var units = (a2.Units ?? []).Select(u => new AccessGrant(u.Id!, u.Name!.Trim(), u.Functions!.ToHashSet(StringComparer.Ordinal), (u.HiddenItems ?? []).ToHashSet(StringComparer.Ordinal))).ToList();
            Unique(units, u => u.Id, "$.access.units", "所属 id", problems);
            var users = new List<AccessGrant>();
            var rawUsers = a2.Users ?? [];
            for (var i = 0; i < rawUsers.Count; i++)
            {
                var u = rawUsers[i];
                var path = $"$.access.users[{i}]";
                if (u.Unit is not null && units.All(x => x.Id != u.Unit))
                {
                    problems.Add(new ConfigProblem($"{path}.unit", "reference", $"所属 '{u.Unit}' が $.access.units にありません。"));
                }
                if (u.Unit is null && u.Functions is null)
                {
                    problems.Add(new ConfigProblem($"{path}.functions", "required", "所属 (unit) か操作権限 (functions) のいずれかが必要です。"));
                }
                var from = Date(u.From, $"{path}.from", problems);
                var until = Date(u.Until, $"{path}.until", problems);
                if (from is not null && until is not null && until < from)
                {
                    problems.Add(new ConfigProblem($"{path}.until", "period", "利用期間の終了日が開始日より前です。"));
                }
                users.Add(new AccessGrant(u.Id!, u.Name ?? "", (u.Functions ?? []).ToHashSet(StringComparer.Ordinal), (u.HiddenItems ?? []).ToHashSet(StringComparer.Ordinal))
                {
                    Unit = u.Unit ?? "",
                    From = from,
                    Until = until,
                });
            }
            Unique(users, u => u.Id, "$.access.users", "利用者 id", problems);
            access = new AccessPolicy(units, users);
        }

        var retention = new RetentionSettings(
            d.Retention?.RemovedRecordsYears ?? TenantDefaults.Retention.RemovedRecordsYears,
            d.Retention?.IssuanceLedgerYears ?? TenantDefaults.Retention.IssuanceLedgerYears,
            d.Retention?.AccessLogYears ?? TenantDefaults.Retention.AccessLogYears);

        return new TenantDefinition(d.Code!, d.Name!.Trim(), d.NameKana!.Trim(), d.Prefecture!.Trim(), towns, document)
        {
            Offices = offices,
            Authenticators = authenticators,
            Seals = seals,
            Certificates = certificates,
            OptionsOn = optionsOn,
            PersonalNoticeCondition = d.PersonalNotice?.Condition switch
            {
                "registeredExceptSelf" => PersonalNoticeCondition.RegisteredExceptSelf,
                "anyThirdPartyOrAgent" => PersonalNoticeCondition.AnyThirdPartyOrAgent,
                _ => PersonalNoticeCondition.Registered,
            },
            PersonalNoticeRegistrationYears = d.PersonalNotice?.RegistrationYears ?? TenantDefaults.PersonalNoticeRegistrationYears,
            ApprovalRequiredFor = approval,
            Access = access,
            Retention = retention,
            OverflowTruncates = d.Printing?.Overflow != "blank",
            SealNote = d.Printing?.SealNote?.Trim() ?? "",
        };
    }

    // The document's shape, for deserialisation after the schema has accepted it.
    private sealed class DocumentDto
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public string? NameKana { get; set; }
        public string? Prefecture { get; set; }
        public List<OfficeDto>? Offices { get; set; }
        public List<AuthenticatorDto>? Authenticators { get; set; }
        public Dictionary<string, string>? Seals { get; set; }
        public CertificatesDto? Certificates { get; set; }
        public Dictionary<string, bool>? Options { get; set; }
        public PrintingDto? Printing { get; set; }
        public PersonalNoticeDto? PersonalNotice { get; set; }
        public List<TownDto>? Towns { get; set; }
        public ApprovalDto? Approval { get; set; }
        public AccessDto? Access { get; set; }
        public RetentionDto? Retention { get; set; }
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

    private sealed class RetentionDto
    {
        public int? RemovedRecordsYears { get; set; }
        public int? IssuanceLedgerYears { get; set; }
        public int? AccessLogYears { get; set; }
    }
}
