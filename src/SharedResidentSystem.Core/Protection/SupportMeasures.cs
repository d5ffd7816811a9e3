using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Core.Protection;

/// <summary>A person a 支援措置 protects as the register holds them (1.1.16).</summary>
public sealed record ProtectedPersonView(PersonVersion Latest, IReadOnlyList<StoredAddress> PreviousAddresses, IReadOnlyList<(string Domicile, string Head)> PreviousDomiciles);

/// <summary>A new 支援措置.</summary>
public sealed record SupportMeasureCommand(
    string ApplicantResidentNumber, string Contact, IReadOnlyList<CoProtectedValue> CoProtected, IReadOnlyList<PerpetratorValue> Perpetrators,
    IReadOnlyList<string> Services, DateOnly? StartsOn, DateOnly? EndsOn, bool Provisional)
{
    /// <summary>転送情報 (1.1.16) as the 申出書 gives it.</summary>
    public TransferValue Transfer { get; init; } = TransferValue.None;
}

/// <summary>
/// 支援措置 (3.4): registering, confirming, extending and ending a measure, whose 抑止 follow it;
/// and what the register asks of the measures in force (who is protected, who is a 加害者, the
/// notices a clerk sees). Runs inside the caller's transaction; every call is logged by the pipeline.
/// </summary>
public sealed class SupportMeasures(SrsDbContext db, NumberIssuer numbers, Suppressions suppressions, TimeProvider time, RemovedRecordsArchive? archive = null)
{
    public static readonly IReadOnlyList<string> KnownServices = ["住民基本台帳の閲覧", "住民票の写し等の交付", "戸籍の附票の写し等の交付"];

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private DateOnly Today => JapanTime.Today(time);

    public async Task<SupportMeasure> CreateSupportMeasureAsync(Caller caller, SupportMeasureCommand command, CancellationToken cancellationToken)
    {
        var v = new Violations();
        v.Required("support_measure.applicant", command.ApplicantResidentNumber, "申出者");
        if (command.Perpetrators.Count == 0)
        {
            v.Add("support_measure.perpetrators", "加害者を一人以上入力してください。");
        }
        for (var i = 0; i < command.Perpetrators.Count; i++)
        {
            v.Required($"support_measure.perpetrators[{i}].name", command.Perpetrators[i].Name, "加害者の氏名");
        }
        if (command.Services.Count == 0)
        {
            v.Add("support_measure.services", "支援を求められている事務を選んでください。");
        }
        foreach (var service in command.Services.Where(s => !KnownServices.Contains(s)))
        {
            v.Add("support_measure.services", $"「{service}」は支援の対象事務ではありません ({string.Join("、", KnownServices)})。");
        }
        if (command.StartsOn is null)
        {
            v.Add("support_measure.starts_on", "支援措置の開始年月日を入力してください。");
        }
        if (command.StartsOn is { } start && command.EndsOn is { } end && end < start)
        {
            v.Add("support_measure.ends_on", "終了年月日が開始年月日より前です。");
        }
        CheckTransfer(v, command.Transfer, Today);
        if (command.CoProtected.Any(c => c.ResidentNumber == command.ApplicantResidentNumber) || command.CoProtected.Select(c => c.ResidentNumber).Distinct().Count() != command.CoProtected.Count)
        {
            v.Add("support_measure.co_protected", "申出者や同じ人を重ねて指定できません。");
        }
        v.ThrowIfAny();
        var protectedNumbers = new[] { command.ApplicantResidentNumber }.Concat(command.CoProtected.Select(c => c.ResidentNumber)).ToList();
        var known = (await db.PersonVersions.AsNoTracking().Where(p => protectedNumbers.Contains(p.ResidentNumber)).Select(p => p.ResidentNumber).ToListAsync(cancellationToken)).Distinct().ToList();
        if (archive is not null && known.Count < protectedNumbers.Distinct().Count())
        {
            // 除票 moved to the 除票用データベース (9.3) are persons the measure may name as well.
            known.AddRange(await archive.Db.PersonVersions.AsNoTracking().Where(p => protectedNumbers.Contains(p.ResidentNumber)).Select(p => p.ResidentNumber).Distinct().ToListAsync(cancellationToken));
        }
        if (!known.Contains(command.ApplicantResidentNumber))
        {
            throw DomainException.NotFound("申出者", "support_measure.applicant");
        }
        var missing = command.CoProtected.Select((c, i) => (c, i)).FirstOrDefault(x => !known.Contains(x.c.ResidentNumber));
        if (missing.c is not null)
        {
            throw DomainException.NotFound("併せて支援を求める者", $"support_measure.co_protected[{missing.i}].resident");
        }
        var startsOn = command.StartsOn!.Value;
        var endsOn = command.EndsOn ?? SupportMeasureRules.EndOf(startsOn);
        var measure = new SupportMeasure
        {
            TenantCode = caller.TenantCode,
            Id = await numbers.NextAsync(caller.TenantCode, NumberKinds.SupportMeasure, cancellationToken),
            ApplicantResidentNumber = command.ApplicantResidentNumber,
            Contact = command.Contact.Trim(),
            CoProtected = JsonSerializer.Serialize(command.CoProtected, Json),
            Perpetrators = JsonSerializer.Serialize(command.Perpetrators, Json),
            Services = string.Join(',', command.Services.Distinct()),
            StartsOn = startsOn,
            EndsOn = endsOn,
            Provisional = command.Provisional,
            ProvisionalFrom = command.Provisional ? startsOn : null,
            State = SupportMeasureState.Active,
            Periods = JsonSerializer.Serialize(command.Provisional ? [] : new[] { new PeriodValue(startsOn, endsOn) }, Json),
            Transfer = JsonSerializer.Serialize(command.Transfer with { NoNeedNotifiedOn = null }, Json),
            CreatedBy = caller.StaffId,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            ConcurrencyStamp = Guid.NewGuid(),
        };
        db.SupportMeasures.Add(measure);
        foreach (var number in protectedNumbers)
        {
            await suppressions.AddSuppressionAsync(caller, number, "", SuppressedProcesses.Inquiry | SuppressedProcesses.Issuance, SuppressionLevel.Error,
                SuppressionCategory.SupportMeasure, command.Provisional ? "仮支援措置" : "支援措置", startsOn, null, measure.Id, cancellationToken);
        }
        return measure;
    }

    public async Task<SupportMeasure> ConfirmAsync(long id, string etag, DateOnly? startsOn, CancellationToken cancellationToken)
    {
        var measure = await LoadMeasureAsync(id, etag, cancellationToken);
        if (!measure.Provisional)
        {
            throw ProtectionErrors.Rule("name", "仮支援措置ではありません。");
        }
        var start = startsOn ?? Today;
        measure.Provisional = false;
        measure.StartsOn = start;
        measure.EndsOn = SupportMeasureRules.EndOf(start);
        measure.Periods = JsonSerializer.Serialize(new[] { new PeriodValue(start, measure.EndsOn) }, Json);
        Touch(measure);
        foreach (var suppression in await db.Suppressions.Where(s => s.SupportMeasureId == id && s.Active).ToListAsync(cancellationToken))
        {
            suppression.Reason = "支援措置";
            suppression.ConcurrencyStamp = Guid.NewGuid();
        }
        return measure;
    }

    public async Task<SupportMeasure> ExtendAsync(long id, string etag, CancellationToken cancellationToken)
    {
        var measure = await LoadMeasureAsync(id, etag, cancellationToken);
        if (measure.Provisional)
        {
            throw ProtectionErrors.Rule("name", "仮支援措置は延長できません。先に支援措置を開始してください。");
        }
        var opens = SupportMeasureRules.ExtensionOpensOn(measure.EndsOn);
        if (Today < opens)
        {
            throw ProtectionErrors.Rule("name", $"延長は終了日の1か月前 ({opens:yyyy-MM-dd}) からできます。");
        }
        var period = SupportMeasureRules.Extension(measure.EndsOn);
        var periods = JsonSerializer.Deserialize<List<PeriodValue>>(measure.Periods, Json)!;
        periods.Add(period);
        measure.Periods = JsonSerializer.Serialize(periods, Json);
        measure.EndsOn = period.EndsOn;
        Touch(measure);
        return measure;
    }

    /// <summary>
    /// Ends a measure; <paramref name="noNeedNotifiedOn"/> is the day the applicant was told that no
    /// support was needed, when a 転送受付市区町村 so found (1.1.16).
    /// </summary>
    public async Task<SupportMeasure> EndAsync(long id, string etag, DateOnly? endedOn, string reason, CancellationToken cancellationToken, DateOnly? noNeedNotifiedOn = null)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw DomainException.Invalid(ErrorReasons.RequiredField, "reason", "終了の理由を入力してください。");
        }
        if (noNeedNotifiedOn is { } told && told > Today)
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "no_need_notified_on", $"申出者への連絡年月日 {told:yyyy-MM-dd} は未来の日付です。");
        }
        var measure = await LoadMeasureAsync(id, etag, cancellationToken);
        if (noNeedNotifiedOn is not null)
        {
            var transfer = TransferOf(measure);
            if (transfer.ReceivedOn is null)
            {
                throw ProtectionErrors.Rule("no_need_notified_on", "支援の必要性がない旨の連絡年月日は、転送を受けた支援措置にだけ記録します。");
            }
            measure.Transfer = JsonSerializer.Serialize(transfer with { NoNeedNotifiedOn = noNeedNotifiedOn }, Json);
        }
        measure.State = SupportMeasureState.Ended;
        measure.EndedOn = endedOn ?? Today;
        measure.EndReason = reason.Trim();
        Touch(measure);
        foreach (var suppression in await db.Suppressions.Where(s => s.SupportMeasureId == id && s.Active).ToListAsync(cancellationToken))
        {
            await suppressions.LiftAsync(suppression, cancellationToken);
        }
        return measure;
    }

    public async Task<SupportMeasure> GetMeasureAsync(long id, CancellationToken cancellationToken) =>
        await db.SupportMeasures.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken) ?? throw DomainException.NotFound("支援措置", "name");

    /// <summary>A page of the measures, in the order they were made, after <paramref name="after"/>.</summary>
    public Task<List<SupportMeasure>> ListMeasuresAsync(bool includeEnded, long? after, int take, CancellationToken cancellationToken) =>
        db.SupportMeasures.AsNoTracking().Where(m => includeEnded || m.State == SupportMeasureState.Active).Where(m => after == null || m.Id > after)
            .OrderBy(m => m.Id).Take(take).ToListAsync(cancellationToken);

    /// <summary>The measures in force that protect a resident (as applicant or co-protected).</summary>
    public async Task<IReadOnlyList<SupportMeasure>> ProtectingAsync(string residentNumber, CancellationToken cancellationToken)
    {
        var ids = await db.Suppressions.AsNoTracking()
            .Where(s => s.Active && s.ResidentNumber == residentNumber && s.SupportMeasureId != null)
            .Select(s => s.SupportMeasureId!.Value)
            .ToListAsync(cancellationToken);
        return await db.SupportMeasures.AsNoTracking().Where(m => ids.Contains(m.Id) && m.State == SupportMeasureState.Active).ToListAsync(cancellationToken);
    }

    /// <summary>Whether any of the requesters is a recorded 加害者 of a measure protecting any of the residents (two queries).</summary>
    public async Task<bool> IsPerpetratorOfAnyAsync(IReadOnlyCollection<string> residentNumbers, IReadOnlyCollection<RequesterValue> requesters, CancellationToken cancellationToken)
    {
        var ids = await db.Suppressions.AsNoTracking()
            .Where(s => s.Active && residentNumbers.Contains(s.ResidentNumber) && s.SupportMeasureId != null)
            .Select(s => s.SupportMeasureId!.Value)
            .Distinct()
            .ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return false;
        }
        var measures = await db.SupportMeasures.AsNoTracking().Where(m => ids.Contains(m.Id) && m.State == SupportMeasureState.Active).ToListAsync(cancellationToken);
        return measures.SelectMany(PerpetratorsOf).Any(p => requesters.Any(r => SupportMeasureRules.IsPerpetrator(p, r)));
    }

    /// <summary>Whether the requester is a recorded 加害者 of any measure protecting the resident.</summary>
    public async Task<bool> IsPerpetratorAsync(string residentNumber, RequesterValue requester, CancellationToken cancellationToken) =>
        (await ProtectingAsync(residentNumber, cancellationToken))
            .SelectMany(PerpetratorsOf)
            .Any(p => SupportMeasureRules.IsPerpetrator(p, requester));

    /// <summary>The notices a clerk sees on a protected resident's record (3.4).</summary>
    public async Task<IReadOnlyList<string>> NoticesAsync(string residentNumber, CancellationToken cancellationToken)
    {
        var notices = new List<string>();
        foreach (var measure in await ProtectingAsync(residentNumber, cancellationToken))
        {
            notices.Add(measure.Provisional ? "仮支援措置の対象者です。" : "支援措置の対象者です。");
            if (!measure.Provisional)
            {
                notices.AddRange(SupportMeasureRules.Notices(measure.EndsOn, Today));
            }
        }
        return notices;
    }

    /// <summary>
    /// 1.1.16: the persons measures protect, as the register holds them — each one's latest version
    /// (a 除票 when they have left: the city is then the 前住所地), the addresses they had before it
    /// (in the city, then the one they came from; newest first) and their former 本籍 (newest first).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, ProtectedPersonView>> ProtectedPersonsAsync(IReadOnlyCollection<string> residentNumbers, CancellationToken cancellationToken)
    {
        var versions = await db.PersonVersions.AsNoTracking().Where(p => residentNumbers.Contains(p.ResidentNumber)).ToListAsync(cancellationToken);
        var held = versions.Select(v => v.ResidentNumber).ToHashSet(StringComparer.Ordinal);
        if (archive is not null && residentNumbers.Any(n => !held.Contains(n)))
        {
            // 除票 moved to the 除票用データベース (9.3) are persons a measure may name as well.
            var missing = residentNumbers.Where(n => !held.Contains(n)).ToList();
            versions.AddRange(await archive.Db.PersonVersions.AsNoTracking().Where(p => missing.Contains(p.ResidentNumber)).ToListAsync(cancellationToken));
        }
        return versions.GroupBy(v => v.ResidentNumber, StringComparer.Ordinal).ToDictionary(g => g.Key, g => View(g.OrderByDescending(v => v.HistoryNumber).ToList()), StringComparer.Ordinal);
    }

    private static ProtectedPersonView View(List<PersonVersion> newestFirst)
    {
        var latest = newestFirst[0];
        var seen = new HashSet<string>(StringComparer.Ordinal) { PersonMapping.Describe(latest.Address) };
        var before = new List<StoredAddress>();
        foreach (var address in newestFirst.Select(v => v.Address).Concat(newestFirst.Select(v => v.PreviousAddress)))
        {
            var text = PersonMapping.Describe(address);
            if (text.Length > 0 && seen.Add(text))
            {
                before.Add(address);
            }
        }
        var domiciles = newestFirst.Skip(1)
            .Select(v => (v.Domicile, v.DomicileHead))
            .Where(d => d.Domicile.Length > 0 && d != (latest.Domicile, latest.DomicileHead))
            .Distinct()
            .ToList();
        return new ProtectedPersonView(latest, before, domiciles);
    }

    public static IReadOnlyList<PerpetratorValue> PerpetratorsOf(SupportMeasure measure) =>
        JsonSerializer.Deserialize<List<PerpetratorValue>>(measure.Perpetrators, Json) ?? [];

    public static IReadOnlyList<CoProtectedValue> CoProtectedOf(SupportMeasure measure) =>
        JsonSerializer.Deserialize<List<CoProtectedValue>>(measure.CoProtected, Json) ?? [];

    /// <summary>The measure's 転送情報 (none for a measure registered before it was kept).</summary>
    public static TransferValue TransferOf(SupportMeasure measure) =>
        measure.Transfer.Trim() is { Length: > 2 } json && JsonSerializer.Deserialize<TransferValue>(json, Json) is { SentTo: not null } t ? t : TransferValue.None;

    /// <summary>A 転送 is to a named city on a day not after today; the 当初受付市区町村 is named only for a measure received by 転送.</summary>
    private static void CheckTransfer(Violations v, TransferValue transfer, DateOnly today)
    {
        for (var i = 0; i < transfer.SentTo.Count; i++)
        {
            v.Required($"support_measure.transfers[{i}].city", transfer.SentTo[i].City, "転送先市区町村");
            if (transfer.SentTo[i].SentOn > today)
            {
                v.Add($"support_measure.transfers[{i}].sent_on", $"転送年月日 {transfer.SentTo[i].SentOn:yyyy-MM-dd} は未来の日付です。");
            }
        }
        if (transfer.ReceivedOn is { } received && received > today)
        {
            v.Add("support_measure.transfer_received_on", $"転送された申出書の受付年月日 {received:yyyy-MM-dd} は未来の日付です。");
        }
        if (transfer.ReceivedOn is null && transfer.OriginalCity.Trim().Length > 0)
        {
            v.Add("support_measure.original_city", "当初受付市区町村は、転送を受けた申出書 (受付年月日のあるもの) のときだけ記録します。");
        }
        if (transfer.ReceivedOn is not null && transfer.OriginalCity.Trim().Length == 0)
        {
            v.Add("support_measure.original_city", "転送を受けた申出書の当初受付市区町村を入力してください。");
        }
    }

    public static IReadOnlyList<PeriodValue> PeriodsOf(SupportMeasure measure) =>
        JsonSerializer.Deserialize<List<PeriodValue>>(measure.Periods, Json) ?? [];

    private static void Touch(SupportMeasure measure) => measure.ConcurrencyStamp = Guid.NewGuid();

    private async Task<SupportMeasure> LoadMeasureAsync(long id, string etag, CancellationToken cancellationToken)
    {
        var measure = await db.SupportMeasures.SingleOrDefaultAsync(m => m.Id == id, cancellationToken) ?? throw DomainException.NotFound("支援措置", "name");
        ProtectionErrors.CheckETag(etag, measure.ConcurrencyStamp);
        if (measure.State == SupportMeasureState.Ended)
        {
            throw ProtectionErrors.Rule("name", "この支援措置は終了しています。");
        }
        return measure;
    }
}
