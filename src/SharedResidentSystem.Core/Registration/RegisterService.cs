using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Numbers;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;

namespace SharedResidentSystem.Core.Registration;

/// <summary>
/// Records 異動 (chapter 4). Each method checks the whole request first and refuses it with
/// every violation at once, then the register rules (errors), then the alerts (11.1); only
/// then does it add one Idou and the new person versions to the current transaction.
/// Nothing is updated in place. The caller runs it inside a <see cref="RegisterTransaction"/>.
/// </summary>
public sealed partial class RegisterService(SrsDbContext db, NumberIssuer numbers, Protection.ProtectionGate gate, ResidentCodes residentCodes, TenantDirectory tenants, TimeProvider time,
    RemovedRecordsArchive? archive = null)
{
    /// <summary>Days within which a 届出 is due (法22条, 戸籍法49条).</summary>
    public const int NotificationDays = 14;

    /// <summary>How the 異動 of this scope is entered (4.0.8): recorded directly, checked as 仮登録, or recorded by a 本登録.</summary>
    public IdouEntry Entry { get; set; } = IdouEntry.Direct;

    private RegisterWork Begin(Caller caller, string requestId, IReadOnlyList<string> acknowledged) =>
        new(db, numbers, gate, caller, requestId, acknowledged, tenants.Get(caller.TenantCode), time, Entry, archive);

    /// <summary>Checks the date, 届出日 and 届出人 every 届出 carries.</summary>
    private static void CheckHeader(Violations v, IdouHeader header, DateOnly today, bool futureAllowed = false, bool notifierRequired = true)
    {
        if (futureAllowed)
        {
            if (header.Date is null)
            {
                v.Add(header.DateField, "異動日を入力してください。");
            }
        }
        else
        {
            ResidentRules.CheckNotFuture(v, header.DateField, header.Date, "異動日", today);
        }
        var dateLabel = header.Basis.Length > 0 ? IdouBasis.DateLabel(header.Basis) : "届出日";
        ResidentRules.CheckNotFuture(v, "notification_date", header.NotificationDate, dateLabel, today);
        if (!futureAllowed && header.Date is { } happened && header.NotificationDate is { } notified && notified < happened)
        {
            // A 届出 follows what it reports (only a 転出 is notified ahead of its date).
            v.Add("notification_date", $"{dateLabel} {notified:yyyy-MM-dd} は異動日 {happened:yyyy-MM-dd} より前にできません。");
        }
        CheckBasis(v, header.Basis);
        if (notifierRequired)
        {
            v.Required("notifier.name", header.Notifier.Name, "届出人氏名");
        }
    }

    /// <summary>4.2.0.4, 4.2.0.5: the basis of a 職権 異動 is one a clerk may choose.</summary>
    private static void CheckBasis(Violations v, string basis)
    {
        if (basis.Length > 0 && !IdouBasis.Chosen.Contains(basis))
        {
            v.Add("basis", "職権による異動の契機を選んでください (職権・申出・戸籍届出・通知・他機関からの通知)。");
        }
    }

    /// <summary>
    /// Where the notified date is otherwise optional (a 修正): a 職権 異動 on a 申出, 戸籍届出・通知 or
    /// 通知 carries that date. Elsewhere the date is required whatever the basis.
    /// </summary>
    private static void RequireBasisDate(Violations v, string basis, DateOnly? date)
    {
        if (basis is IdouBasis.Application or IdouBasis.FamilyRegister or IdouBasis.Notice && date is null)
        {
            v.Add("notification_date", $"{IdouBasis.DateLabel(basis)}を入力してください。");
        }
    }

    private static void AlertIfLate(AlertCollector alerts, IdouHeader header, DateOnly? eventDate, string what)
    {
        if (eventDate is { } happened && header.NotificationDate is { } notified && notified.DayNumber - happened.DayNumber > NotificationDays)
        {
            alerts.Raise(AlertCodes.NotifiedLate, "notification_date",
                $"{what}の届出が{NotificationDays}日を過ぎています ({notified.DayNumber - happened.DayNumber}日後)。");
        }
    }

    /// <summary>Every item of a person entering the register (1.1.1, 1.1.2).</summary>
    private static void CheckEntry(Violations v, string path, PersonEntryValue entry, DateOnly today, bool relationshipRequired = true)
    {
        ResidentRules.CheckName(v, $"{path}.person_name", entry.Name);
        ResidentRules.CheckPartialDate(v, $"{path}.birth_date", entry.BirthDate, "生年月日", today);
        ResidentRules.CheckSex(v, $"{path}.sex", entry.Sex);
        if ((relationshipRequired || !string.IsNullOrWhiteSpace(entry.Relationship)) && Relationships.Check(entry.Relationship) is { } problem)
        {
            v.Add($"{path}.relationship", problem);
        }
        if (entry.IndividualNumber.Length > 0 && !CheckDigits.IsValidIndividualNumber(entry.IndividualNumber.Trim()))
        {
            v.Add($"{path}.individual_number", "個人番号は12桁の数字で、検査数字が正しい必要があります。");
        }
        if (entry.ResidentCode.Length > 0 && !CheckDigits.IsValidResidentCode(entry.ResidentCode.Trim()))
        {
            v.Add($"{path}.resident_code", "住民票コードは11桁の数字で、検査数字が正しい必要があります。");
        }
        if (entry.Kind == ResidentKind.Foreign)
        {
            v.Required($"{path}.foreign.nationality", entry.Foreign.Nationality, "国籍・地域");
            if (entry.Foreign.CardNumber.Length > 0 && !ResidentRules.IsResidenceCardNumber(entry.Foreign.CardNumber))
            {
                v.Add($"{path}.foreign.residence_card_number", "在留カード等の番号は英字2桁・数字8桁・英字2桁です。");
            }
            ResidentRules.CheckForeignRequired(v, $"{path}.foreign", entry.Foreign.Category, entry.Foreign.CardNumber, entry.Foreign.PeriodOfStay);
            ResidentRules.CheckNotFuture(v, $"{path}.foreign.former_alien_registration_on", entry.Foreign.FormerAlienRegistrationOn, "旧外登法による登録年月日", today, required: false);
            if (entry.Domicile.Address.Length > 0 || entry.OldSurname.Length > 0)
            {
                v.Add($"{path}.domicile", "外国人住民には本籍・旧氏を記載しません。");
            }
        }
        else
        {
            if (entry.Foreign != ForeignValue.None || entry.CommonName.Length > 0)
            {
                v.Add($"{path}.foreign", "日本人住民には国籍・在留資格・通称を記載しません。");
            }
            // 1.1.6, 1.1.12: 本籍・筆頭者 may not be blank; 「なし」 or 「不明」 may be written.
            v.Required($"{path}.domicile.address", entry.Domicile.Address, "本籍 (ないときは「なし」、分からないときは「不明」)");
            v.Required($"{path}.domicile.head_name", entry.Domicile.HeadName, "筆頭者 (ないときは「なし」、分からないときは「不明」)");
            if (entry.BirthDate is { Year: > 0 and < ResidentRules.FirstWarekiYear })
            {
                v.Add($"{path}.birth_date", "日本人住民の生年月日は和暦 (明治以降) で記載します。");
            }
        }
    }

    /// <summary>Alerts about a person entering: age over 110 and a possible duplicate of a current resident.</summary>
    private async Task CheckEntryAlertsAsync(AlertCollector alerts, string path, PersonEntryValue entry, DateOnly onDate, CancellationToken cancellationToken)
    {
        if (entry.BirthDate is { Year: > 0 } birth && onDate.Year - birth.Year - (birth.Month > onDate.Month || (birth.Month == onDate.Month && birth.Day > onDate.Day) ? 1 : 0) >= 110)
        {
            alerts.Raise(AlertCodes.AgeOver110, $"{path}.birth_date", $"{entry.Name?.Family} {entry.Name?.Given} さんは110歳以上です。生年月日を確認してください。");
        }
        var kana = KanaFolding.FoldKana((entry.Name?.FamilyKana ?? "") + (entry.Name?.GivenKana ?? ""));
        if (kana.Length > 0 && entry.BirthDate is { } b)
        {
            var duplicate = await db.PersonVersions.AsNoTracking()
                .Where(p => p.SearchKana == kana && p.BirthYear == b.Year && p.BirthMonth == b.Month && p.BirthDay == b.Day && p.State == ResidentState.Active)
                .Where(p => !db.PersonVersions.Any(o => o.ResidentNumber == p.ResidentNumber && o.HistoryNumber > p.HistoryNumber))
                .Select(p => p.ResidentNumber)
                .FirstOrDefaultAsync(cancellationToken);
            if (duplicate is not null)
            {
                alerts.Raise(AlertCodes.PossibleDuplicate, $"{path}.person_name", $"同じ振り仮名・生年月日の住民 (宛名番号 {duplicate}) がいます。同一人物でないか確認してください。");
            }
        }
    }

    /// <summary>個人番号 is held by one current resident only.</summary>
    private Task CheckIndividualNumbersFreeAsync(IEnumerable<(string Path, string Number)> numbersToCheck, CancellationToken cancellationToken) =>
        CheckNumbersFreeAsync(numbersToCheck, p => p.IndividualNumber, values => p => values.Contains(p.IndividualNumber),
            ErrorReasons.IndividualNumberInUse, "この個人番号はほかの住民に記載されています。", cancellationToken);

    /// <summary>住民票コード is held by one current resident only (a 除票 holding it is a 再転入, checked apart).</summary>
    private Task CheckResidentCodesFreeAsync(IEnumerable<(string Path, string Number)> numbersToCheck, CancellationToken cancellationToken) =>
        CheckNumbersFreeAsync(numbersToCheck, p => p.ResidentCode, values => p => values.Contains(p.ResidentCode),
            ErrorReasons.ResidentCodeInUse, "この住民票コードはほかの住民に記載されています。", cancellationToken);

    /// <summary>A number entered for new residents must not appear twice in the request nor be held by a current resident.</summary>
    private async Task CheckNumbersFreeAsync(IEnumerable<(string Path, string Number)> numbersToCheck, Func<PersonVersion, string> number,
        Func<List<string>, System.Linq.Expressions.Expression<Func<PersonVersion, bool>>> holding, string reason, string message, CancellationToken cancellationToken)
    {
        var wanted = numbersToCheck.Where(n => n.Number.Length > 0).ToList();
        var duplicates = wanted.GroupBy(n => n.Number).Where(g => g.Count() > 1).SelectMany(g => g.Skip(1)).ToList();
        var values = wanted.Select(n => n.Number).Distinct().ToList();
        var taken = values.Count == 0 ? [] : (await db.PersonVersions.AsNoTracking()
            .Where(holding(values))
            .Where(p => p.State == ResidentState.Active)
            .Where(p => !db.PersonVersions.Any(o => o.ResidentNumber == p.ResidentNumber && o.HistoryNumber > p.HistoryNumber))
            .ToListAsync(cancellationToken)).Select(number).ToList();
        var clashes = duplicates.Concat(wanted.Where(n => taken.Contains(n.Number))).Select(n => n.Path).Distinct().ToList();
        if (clashes.Count > 0)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, reason, message, clashes.Select(p => new FieldViolation(p, message)).ToList());
        }
    }

    /// <summary>The new 続柄 of moving residents, checked against the household they enter.</summary>
    private static void CheckPlacementRelationships(Violations v, string path, IReadOnlyCollection<PersonVersion> movers,
        IReadOnlyDictionary<string, string> relationships, IReadOnlyCollection<PersonVersion> targetMembers, AlertCollector alerts, bool newHousehold)
    {
        foreach (var mover in movers)
        {
            if (!relationships.TryGetValue(mover.ResidentNumber, out var relationship))
            {
                v.Add($"{path}.relationships", $"{mover.FamilyName} {mover.GivenName} さんの新しい続柄を入力してください。");
                continue;
            }
            if (Relationships.Check(relationship) is { } problem)
            {
                v.Add($"{path}.relationships", problem);
            }
        }
        var heads = movers.Count(m => relationships.TryGetValue(m.ResidentNumber, out var r) && Relationships.Normalize(r) == Relationships.Head)
            + targetMembers.Count(m => m.Relationship == Relationships.Head);
        if (heads > 1)
        {
            v.Add($"{path}.relationships", "世帯主は一世帯に一人です。");
        }
        else if (heads == 0 && newHousehold && v.Count == 0)
        {
            alerts.Raise(AlertCodes.NoHead, $"{path}.relationships", "世帯主のいない世帯になります。");
        }
    }

    private static void Apply(PersonVersion next, IReadOnlyDictionary<string, string> relationships, string household)
    {
        next.HouseholdNumber = household;
        if (relationships.TryGetValue(next.ResidentNumber, out var relationship))
        {
            next.Relationship = Relationships.Normalize(relationship);
        }
    }

    private static void RequireDistinct(Violations v, string field, IReadOnlyList<ResidentRefValue> residents)
    {
        if (residents.Count == 0)
        {
            v.Add(field, "対象の住民を一人以上指定してください。");
        }
        if (residents.Select(r => r.ResidentNumber).Distinct().Count() != residents.Count)
        {
            v.Add(field, "同じ住民が重複しています。");
        }
    }

    private static async Task<List<PersonVersion>> ResidentsAsync(RegisterWork work, IReadOnlyList<ResidentRefValue> residents, string field, CancellationToken cancellationToken)
    {
        var result = new List<PersonVersion>();
        for (var i = 0; i < residents.Count; i++)
        {
            result.Add(await work.ResidentAsync(residents[i], $"{field}[{i}]", cancellationToken));
        }
        return result;
    }

    private static DomainException RecordRule(string field, string message) =>
        new(ErrorKind.FailedPrecondition, ErrorReasons.RecordRule, message, [new FieldViolation(field, message)]);

    private static DomainException HouseholdRule(string field, string message) =>
        new(ErrorKind.FailedPrecondition, ErrorReasons.HouseholdRule, message, [new FieldViolation(field, message)]);
}
