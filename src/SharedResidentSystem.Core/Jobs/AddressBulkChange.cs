using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Certificates;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Core.Jobs;

/// <summary>
/// 9.7 住所一括変更 (住居表示の実施, 区画整理, 町名・地番の変更): from a definition (CSV) of old → new
/// places, the 仮処理 finds the households (or, for 本籍, the persons) and lists them with what
/// would change, recording nothing; its 本処理 records one 軽微な修正 per household against the
/// versions the 仮処理 saw, and leaves out (listed, with the reason) whoever changed in between,
/// 転出予定者 included (9.7#8); the 取消し of a 本処理 undoes each of its 異動 with 異動の取消し.
/// Each 異動 sends what any 異動 sends (本人確認情報 with the 事由 軽微な修正, 戸籍附票記載事項通知,
/// 送付先情報, the city's 連携). The definition's rows, the households found and what became of
/// each are <see cref="JobItem"/>s written with the job's checkpoint.
/// </summary>
public static class AddressBulkChange
{
    public const string Kind = "addressBulkChange";
    public const string TargetAddress = "address";
    public const string TargetDomicile = "domicile";
    public const string Preview = "preview";
    public const string Apply = "apply";
    public const string Undo = "undo";
    public const string PreviewFile = "確認一覧.csv";
    public const string ResultFile = "処理結果一覧.csv";
    public const string UndoFile = "取消結果一覧.csv";
    /// <summary>A 番地 of "*": every 番地 of the old 町字・丁目, each keeping its 番地 (町名変更).</summary>
    public const string AnyLot = "*";
    public const int MaxRows = 50_000;

    /// <summary>
    /// 9.7 住所一括変更 as started: 現住所 or 本籍, 仮処理 (preview), 本処理 (apply, of the 仮処理
    /// <paramref name="FromJob"/>) or its 取消し (undo, of the 本処理 <paramref name="FromJob"/>), the
    /// 実施日, whether to print the 通知 to every household, and how many definition rows it has.
    /// </summary>
    public sealed record Parameters(string Target, string Mode, long FromJob, DateOnly EffectiveDate, bool Notices, int Rows);

    /// <summary>現住所 (9.7#4): by 世帯番号 (or, empty, every household at the old place).</summary>
    public static readonly IReadOnlyList<string> AddressHeader = ["世帯番号", "変更前町字", "変更前丁目", "変更前番地", "変更後町字", "変更後丁目", "変更後番地"];

    /// <summary>本籍 (9.7#5): by 宛名番号.</summary>
    public static readonly IReadOnlyList<string> DomicileHeader = ["宛名番号", "変更前本籍", "変更後本籍"];

    /// <summary>One row of the definition (the columns of its target).</summary>
    public sealed record Rule(int Line, string Household, string FromTown, int FromChome, string FromBanchi, string ToTown, int ToChome, string ToBanchi,
        string Resident, string FromDomicile, string ToDomicile);

    /// <summary>A household (for 本籍, a person) the 仮処理 found: its members as it saw them, and the change.</summary>
    public sealed record Target(int Line, string Household, IReadOnlyList<Member> Members, string HeadName, string PostalCode, string Before, string After,
        string ToTown, int ToChome, string ToBanchi, string ToDomicile, string FromTown, int FromChome, string FromBanchi, string FromDomicile);

    public sealed record Member(string Resident, string ETag, string Name);

    /// <summary>Where the job is: its phase, the last item done, the next item's number, the list's length so far, counts.</summary>
    public sealed class Progress
    {
        public string Phase { get; set; } = "";
        public long After { get; set; }
        public long Next { get; set; } = 1;
        public long CsvLength { get; set; }
        public int Pages { get; set; }
        public Dictionary<string, long> Counts { get; set; } = new(StringComparer.Ordinal);
    }

    public static Progress ProgressOf(JobRecord job) => job.Checkpoint.Length == 0 ? new Progress() : JsonSerializer.Deserialize<Progress>(job.Checkpoint)!;

    /// <summary>
    /// Reads the definition, refusing it with every problem (line and column, in Japanese): a
    /// header other than the target's, an empty or over-long cell, a new place not in the city's
    /// dictionary or 住居表示・地番 master, a row that changes nothing, two rows for one old place.
    /// </summary>
    public static IReadOnlyList<Rule> ReadDefinition(string target, string csv, TenantDefinition tenant, string field)
    {
        var header = target == TargetAddress ? AddressHeader : DomicileHeader;
        var problems = new List<FieldViolation>();
        var rules = new List<Rule>();
        using var reader = CsvText.Open(csv);
        var given = CsvText.Headers(reader) ?? [];
        if (!given.SequenceEqual(header))
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, field, $"定義の1行目は {string.Join(',', header)} である必要があります。");
        }
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var line = (int)reader.LineNumber;
            if (reader.FieldCount != header.Count)
            {
                problems.Add(new FieldViolation($"{field} line {line}", $"列の数が {header.Count} ではありません。"));
                continue;
            }
            var cells = Enumerable.Range(0, header.Count).Select(i => reader.GetString(i).Trim()).ToArray();
            if (cells.All(c => c.Length == 0))
            {
                continue;
            }
            if (rules.Count + problems.Count >= MaxRows)
            {
                problems.Add(new FieldViolation($"{field} line {line}", $"定義は {MaxRows:N0} 行までです。"));
                break;
            }
            var before = problems.Count;
            void Problem(string column, string message) => problems.Add(new FieldViolation($"{field} line {line}.{column}", message));
            for (var i = 0; i < cells.Length; i++)
            {
                if (cells[i].Length > 200)
                {
                    Problem(header[i], "200文字以内にしてください。");
                }
            }
            Rule rule;
            string key;
            if (target == TargetAddress)
            {
                var fromChome = Chome(cells[2], header[2], Problem);
                var toChome = Chome(cells[5], header[5], Problem);
                rule = new Rule(line, cells[0], cells[1], fromChome, cells[3], cells[4], toChome, cells[6], "", "", "");
                CheckAddressRule(rule, tenant, Problem);
                key = $"{rule.Household}|{rule.FromTown}|{rule.FromChome}|{rule.FromBanchi}";
            }
            else
            {
                rule = new Rule(line, "", "", 0, "", "", 0, "", cells[0], cells[1], cells[2]);
                if (rule.Resident.Length == 0)
                {
                    Problem("宛名番号", "宛名番号が空です。");
                }
                if (rule.FromDomicile.Length == 0)
                {
                    Problem("変更前本籍", "変更前の本籍が空です。");
                }
                if (rule.ToDomicile.Length == 0)
                {
                    Problem("変更後本籍", "変更後の本籍が空です。");
                }
                else if (rule.ToDomicile == rule.FromDomicile)
                {
                    Problem("変更後本籍", "変更前と変更後が同じです。");
                }
                key = rule.Resident;
            }
            if (problems.Count > before)
            {
                continue;
            }
            if (seen.TryGetValue(key, out var earlier))
            {
                Problem(header[0], $"{earlier}行目と同じ{(target == TargetAddress ? "変更前の住所" : "宛名番号")}です。");
                continue;
            }
            seen[key] = line;
            rules.Add(rule);
        }
        if (rules.Count == 0 && problems.Count == 0)
        {
            problems.Add(new FieldViolation(field, "定義に行がありません。"));
        }
        if (problems.Count > 0)
        {
            throw new DomainException(ErrorKind.InvalidArgument, ErrorReasons.InvalidField, $"住所一括変更の定義に誤りがあります ({problems.Count} 件)。", problems);
        }
        return rules;
    }

    private static int Chome(string text, string column, Action<string, string> problem)
    {
        var normal = text.Normalize(NormalizationForm.FormKC);
        if (normal.Length == 0)
        {
            return 0;
        }
        if (!int.TryParse(normal, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 99)
        {
            problem(column, $"丁目「{text}」は0から99までの数字で入力してください (丁目がないときは空欄)。");
            return 0;
        }
        return value;
    }

    private static void CheckAddressRule(Rule rule, TenantDefinition tenant, Action<string, string> problem)
    {
        if (rule.Household.Length > 0 && !rule.Household.All(char.IsAsciiDigit))
        {
            problem("世帯番号", "世帯番号は数字です (空欄: 変更前の住所の全世帯)。");
        }
        if (rule.FromTown.Length == 0)
        {
            problem("変更前町字", "変更前の町字が空です。");
        }
        if (rule.FromBanchi.Length == 0)
        {
            problem("変更前番地", $"変更前の番地が空です (町字・丁目の全番地は「{AnyLot}」)。");
        }
        if (rule.ToBanchi.Length == 0)
        {
            problem("変更後番地", $"変更後の番地が空です (番地を変えないときは「{AnyLot}」)。");
        }
        else if ((rule.FromBanchi == AnyLot) != (rule.ToBanchi == AnyLot))
        {
            problem("変更後番地", $"「{AnyLot}」(番地を変えない) は変更前と変更後の両方に書きます。");
        }
        var town = tenant.Towns.FirstOrDefault(t => t.Name == rule.ToTown);
        if (town is null)
        {
            problem("変更後町字", $"町字「{rule.ToTown}」は{tenant.Name}の住所辞書にありません。");
            return;
        }
        if (town.Chome is { } range && (rule.ToChome < range.From || rule.ToChome > range.To))
        {
            problem("変更後丁目", $"{town.Name}の丁目は{range.From}から{range.To}までです。");
            return;
        }
        if (rule.ToBanchi.Length > 0 && rule.ToBanchi != AnyLot && AddressMaster.CheckLot(town, rule.ToChome, rule.ToBanchi) is { } outside)
        {
            problem("変更後番地", outside);
        }
        if (rule.FromTown == rule.ToTown && rule.FromChome == rule.ToChome && rule.FromBanchi == rule.ToBanchi)
        {
            problem("変更後番地", "変更前と変更後が同じです。");
        }
    }

    /// <summary>The new place of a household found by <paramref name="rule"/> (a "*" keeps its 番地), or why it cannot be entered.</summary>
    private static (string Banchi, string? Problem) NewLot(Rule rule, StoredAddress current, TenantDefinition tenant)
    {
        var banchi = rule.ToBanchi == AnyLot ? current.Banchi : rule.ToBanchi;
        var town = tenant.Towns.First(t => t.Name == rule.ToTown);
        return (banchi, AddressMaster.CheckLot(town, rule.ToChome, banchi));
    }

    private static string Place(string town, int chome, string banchi) =>
        town + (chome > 0 ? chome.ToString(CultureInfo.InvariantCulture) + "丁目" : "") + banchi;

    private static string NameOf(PersonVersion p) => $"{p.FamilyName}　{p.GivenName}".Trim('　');

    /// <summary>
    /// 仮処理, extraction: a page of the definition's rows after the checkpoint, each giving the
    /// households (persons) it finds as target items (or left out, with the reason) in the
    /// caller's transaction with the job's checkpoint. Returns false when every row has been read.
    /// </summary>
    public static async Task<bool> ExtractPageAsync(SrsDbContext db, JobRecord job, Progress progress, TenantDefinition tenant, int pageSize, CancellationToken cancellationToken)
    {
        var p = JsonSerializer.Deserialize<Parameters>(job.Parameters)!;
        var after = progress.After;
        var rows = await db.JobItems.AsNoTracking()
            .Where(i => i.JobId == job.Id && i.Part == JobItemParts.Definition && i.Seq > after)
            .OrderBy(i => i.Seq).Take(pageSize).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return false;
        }
        var taken = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var rule = JsonSerializer.Deserialize<Rule>(row.Data)!;
            if (p.Target == TargetAddress)
            {
                await ExtractAddressAsync(db, job, progress, rule, p, tenant, taken, cancellationToken);
            }
            else
            {
                await ExtractDomicileAsync(db, job, progress, rule, cancellationToken);
            }
            progress.After = row.Seq;
        }
        return true;
    }

    private static async Task ExtractAddressAsync(SrsDbContext db, JobRecord job, Progress progress, Rule rule, Parameters p, TenantDefinition tenant,
        Dictionary<string, int> taken, CancellationToken cancellationToken)
    {
        var place = db.CurrentVersions.AsNoTracking().Where(v => v.Address.Town == rule.FromTown && v.Address.Chome == rule.FromChome
            && (rule.FromBanchi == AnyLot || v.Address.Banchi == rule.FromBanchi) && v.Address.FreeText == "");
        if (rule.Household.Length > 0)
        {
            place = place.Where(v => v.HouseholdNumber == rule.Household);
        }
        var persons = await place.Where(v => v.State == ResidentState.Active || v.RemovalOn >= p.EffectiveDate)
            .OrderBy(v => v.HouseholdNumber).ThenBy(v => v.ResidentNumber).ToListAsync(cancellationToken);
        // 9.7#8: a 転出予定者 at the place (転出 recorded, its date not yet passed on the 実施日) is left out, listed.
        foreach (var leaving in persons.Where(v => v.State != ResidentState.Active && v.RemovalReason is IdouReasons.DomesticMoveOut or IdouReasons.MoveOutAbroad))
        {
            var target = new Target(rule.Line, leaving.HouseholdNumber, [new Member(leaving.ResidentNumber, leaving.ETag, NameOf(leaving))], NameOf(leaving),
                leaving.Address.PostalCode, Place(leaving.Address.Town, leaving.Address.Chome, leaving.Address.Banchi), "", rule.ToTown, rule.ToChome, "", "",
                rule.FromTown, rule.FromChome, leaving.Address.Banchi, "");
            Add(db, job, progress, leaving.HouseholdNumber, target, $"転出予定者です (転出予定日 {leaving.RemovalOn:yyyy-MM-dd})。");
        }
        var households = persons.Where(v => v.State == ResidentState.Active).GroupBy(v => v.HouseholdNumber).ToList();
        if (households.Count == 0 && rule.Household.Length > 0)
        {
            var none = new Target(rule.Line, rule.Household, [], "", "", Place(rule.FromTown, rule.FromChome, rule.FromBanchi), "", rule.ToTown, rule.ToChome, "", "",
                rule.FromTown, rule.FromChome, rule.FromBanchi, "");
            Add(db, job, progress, rule.Household, none, "この世帯の住民は変更前の住所にいません (世帯番号か変更前の住所が台帳と違います)。");
        }
        foreach (var household in households)
        {
            var members = household.ToList();
            var lot = members[0].Address;
            var (banchi, outside) = NewLot(rule, lot, tenant);
            var head = members.FirstOrDefault(m => m.Relationship == Relationships.Head) ?? members[0];
            var target = new Target(rule.Line, household.Key, [.. members.Select(m => new Member(m.ResidentNumber, m.ETag, NameOf(m)))], NameOf(head), lot.PostalCode,
                Place(lot.Town, lot.Chome, lot.Banchi), Place(rule.ToTown, rule.ToChome, banchi), rule.ToTown, rule.ToChome, banchi, "",
                lot.Town, lot.Chome, lot.Banchi, "");
            string outcome = "";
            if (taken.TryGetValue(household.Key, out var earlierLine)
                || await db.JobItems.AnyAsync(i => i.JobId == job.Id && i.Part == JobItemParts.Target && i.Key == household.Key && i.Outcome == "", cancellationToken))
            {
                // Two rows of the definition reach one household: the first stays, this one is listed.
                outcome = $"定義のほかの行 ({(earlierLine > 0 ? $"{earlierLine}行目" : "前のページ")}) でも対象です。定義を確かめてください。";
            }
            else if (outside is not null)
            {
                outcome = outside;
            }
            else if (members.Select(m => m.Address.Banchi).Distinct().Count() > 1)
            {
                outcome = "世帯員の番地が揃っていません。";
            }
            if (outcome.Length == 0)
            {
                taken[household.Key] = rule.Line;
            }
            Add(db, job, progress, household.Key, target, outcome);
        }
    }

    private static async Task ExtractDomicileAsync(SrsDbContext db, JobRecord job, Progress progress, Rule rule, CancellationToken cancellationToken)
    {
        var person = await db.CurrentVersions.AsNoTracking().SingleOrDefaultAsync(v => v.ResidentNumber == rule.Resident, cancellationToken);
        var target = new Target(rule.Line, person?.HouseholdNumber ?? "", person is null ? [] : [new Member(person.ResidentNumber, person.ETag, NameOf(person))],
            person is null ? "" : NameOf(person), person?.Address.PostalCode ?? "", person?.Domicile ?? "", rule.ToDomicile, "", 0, "", rule.ToDomicile, "", 0, "", rule.FromDomicile);
        var outcome = person switch
        {
            null => "この宛名番号の住民はいません。",
            { State: not ResidentState.Active } => "除票です。",
            { Kind: not ResidentKind.Japanese } => "外国人住民には本籍がありません。",
            _ when person.Domicile != rule.FromDomicile => $"変更前の本籍が台帳と違います (台帳: {person.Domicile})。",
            _ => "",
        };
        Add(db, job, progress, rule.Resident, target, outcome);
    }

    private static void Add(SrsDbContext db, JobRecord job, Progress progress, string key, Target target, string outcome)
    {
        db.JobItems.Add(new JobItem
        {
            TenantCode = job.TenantCode,
            JobId = job.Id,
            Part = JobItemParts.Target,
            Seq = progress.Next++,
            Key = key,
            Data = JsonSerializer.Serialize(target),
            Outcome = Audit.AccessLogWriter.Storable(outcome, JobItemParts.OutcomeLength),
        });
        Count(progress, outcome.Length == 0 ? "対象" : "除外");
    }

    public static void Count(Progress progress, string name) => progress.Counts[name] = progress.Counts.GetValueOrDefault(name) + 1;

    /// <summary>
    /// 本処理: why a target of the 仮処理 is left out now (9.7#8), or null when the register still
    /// holds what the 仮処理 saw: the same members at the old place, each at the version seen (a
    /// 異動 since, a birth into the household or a 転出予定 changes that).
    /// </summary>
    public static async Task<string?> ChangedSinceAsync(SrsDbContext db, Target target, bool address, CancellationToken cancellationToken)
    {
        List<PersonVersion> now;
        if (address)
        {
            now = await db.CurrentVersions.AsNoTracking()
                .Where(v => v.HouseholdNumber == target.Household && v.State == ResidentState.Active && v.Address.Town == target.FromTown
                    && v.Address.Chome == target.FromChome && v.Address.Banchi == target.FromBanchi)
                .ToListAsync(cancellationToken);
        }
        else
        {
            var resident = target.Members[0].Resident;
            now = await db.CurrentVersions.AsNoTracking().Where(v => v.ResidentNumber == resident && v.State == ResidentState.Active).ToListAsync(cancellationToken);
        }
        var changed = target.Members.Where(m => now.All(v => v.ResidentNumber != m.Resident || v.ETag != m.ETag)).Select(m => m.Name)
            .Concat(now.Where(v => target.Members.All(m => m.Resident != v.ResidentNumber)).Select(NameOf)).ToList();
        if (changed.Count > 0)
        {
            return $"仮処理の後に異動があります ({string.Join("、", changed)})。";
        }
        return !address && now[0].Domicile != target.FromDomicile ? "仮処理の後に本籍が変わっています。" : null;
    }

    /// <summary>The new 住所 of a target as entered by the 本処理.</summary>
    public static AddressValue NewAddress(Target target) => new("", "", target.ToTown, target.ToChome, target.ToBanchi, "", "", "", "", "");

    /// <summary>The list's header for a job (確認一覧, 処理結果一覧, 取消結果一覧).</summary>
    public static string[] ListHeader(Parameters p) => p.Target == TargetAddress
        ? ["番号", "定義の行", "世帯番号", "世帯主氏名", "人数", "宛名番号", "変更前住所", "変更後住所", "判定", "異動番号"]
        : ["番号", "定義の行", "宛名番号", "氏名", "世帯番号", "変更前本籍", "変更後本籍", "判定", "異動番号"];

    /// <summary>One line of the list for an item.</summary>
    public static string[] ListRow(Parameters p, JobItem item, string taken)
    {
        var t = JsonSerializer.Deserialize<Target>(item.Data)!;
        var verdict = item.Outcome.Length == 0 ? taken : "除外: " + item.Outcome;
        var idou = item.IdouId?.ToString(CultureInfo.InvariantCulture) ?? "";
        var seq = item.Seq.ToString(CultureInfo.InvariantCulture);
        var line = t.Line.ToString(CultureInfo.InvariantCulture);
        return p.Target == TargetAddress
            ? [seq, line, t.Household, t.HeadName, t.Members.Count.ToString(CultureInfo.InvariantCulture), string.Join(" ", t.Members.Select(m => m.Resident)), t.Before, t.After, verdict, idou]
            : [seq, line, item.Key, t.HeadName, t.Household, t.Before, t.After, verdict, idou];
    }

    /// <summary>9.7#2: the 通知 to a household, before the 実施日 (事前) or after the 本処理 (事後).</summary>
    public static LetterContent Notice(Parameters p, Target t, TenantDefinition tenant, DateOnly today, bool after)
    {
        var what = p.Target == TargetAddress ? "住所" : "本籍";
        var addressee = p.Target == TargetAddress
            ? $"〒{t.PostalCode}\n{tenant.Prefecture}{tenant.Name}{(after ? t.After : t.Before)}\n{t.HeadName}　様"
            : $"〒{t.PostalCode}\n{t.HeadName}　様";
        return new LetterContent(
            $"{what}の表示の変更について（{(after ? "お知らせ" : "事前のお知らせ")}）",
            addressee,
            [
                $"{Wareki.Format(p.EffectiveDate)}から、{(p.Target == TargetAddress ? "住居表示の実施等により、あなたの世帯の" : "あなたの")}{what}の表示が次のとおり変わ{(after ? "りました" : "ります")}。",
                $"変更前　{t.Before}",
                $"変更後　{t.After}",
                $"住民票の{what}は市区町村が職権で修正します。届出の必要はありません。",
                p.Target == TargetAddress ? $"対象の方　{string.Join("、", t.Members.Select(m => m.Name))}" : "",
            ],
            tenant.Name,
            today,
            Wareki.Format(today));
    }
}
