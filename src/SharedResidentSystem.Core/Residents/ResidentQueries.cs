using System.Linq.Expressions;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Numbers;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Core.Residents;

/// <summary>How a name query matches (2.1.2).</summary>
public enum NameMatch
{
    Prefix = 0,
    Exact = 1,
    Contains = 2,
}

/// <summary>A search of the caller's city (2.1.3). Empty criteria are not applied.</summary>
public sealed record ResidentSearch(
    string NameQuery,
    NameMatch NameMatch,
    string GivenNameKana,
    string BirthDate,
    SexValue Sex,
    string Town,
    string Banchi,
    string Katagaki,
    string ResidentNumber,
    string HouseholdNumber,
    string IndividualNumber,
    string ResidentCode,
    string ResidenceCardNumber,
    string Relationship,
    IReadOnlyList<string> MissingItems,
    bool IncludeRemoved,
    int PageSize,
    string PageToken)
{
    /// <summary>地区 (1.3.5): the places of the 地区 named (town, 丁目; none: the whole town); null when not searched.</summary>
    public IReadOnlyList<Tenancy.DistrictArea>? DistrictAreas { get; init; }

    public static ResidentSearch ByName(string name) =>
        new(name, NameMatch.Prefix, "", "", SexValue.Unspecified, "", "", "", "", "", "", "", "", "", [], false, 0, "");
}

/// <summary>One page of results and the token of the next.</summary>
public sealed record ResidentPage(IReadOnlyList<PersonVersion> Residents, string NextPageToken)
{
    internal string Fingerprint { get; init; } = "";

    /// <summary>The token of a page cut short after this resident (an answer bounded in bytes).</summary>
    public string TokenAfter(string residentNumber) => ResidentQueries.EncodeToken(residentNumber, Fingerprint);
}

/// <summary>A household on one date: its members in the order of 5.2.</summary>
public sealed record HouseholdView(string HouseholdNumber, PersonVersion? Head, IReadOnlyList<PersonVersion> Members)
{
    /// <summary>消除された世帯構成員 (3.3): 除票 whose last household was this one.</summary>
    public IReadOnlyList<PersonVersion> Removed { get; init; } = [];
}

/// <summary>One 異動 of a resident as 異動履歴照会 shows it.</summary>
public sealed record IdouView(Idou Idou, int HistoryNumber, IReadOnlyList<ChangeSummary> Changes);

/// <summary>
/// Reads the register. Every query runs through the tenant filter of <see cref="SrsDbContext"/>,
/// so another city's residents are never seen, not even as a count. A 除票 moved to the
/// 除票用データベース (9.3) is found there when the register no longer holds it: by number, in its
/// household's 消除された世帯構成員, in its 異動履歴 and by a search that includes 除票 — the same
/// answers as before the move. Whoever the register holds is read from the register only (a copy
/// the archive kept of them is not theirs any more).
/// </summary>
public sealed class ResidentQueries(SrsDbContext db, TimeProvider time, RemovedRecordsArchive? archive = null)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    private ResidentQueries? _archived;

    /// <summary>The same queries over the 除票用データベース (null: none configured).</summary>
    private ResidentQueries? Archived => archive is null ? null : _archived ??= new ResidentQueries(archive.Db, time);

    /// <summary>
    /// The state on <paramref name="asOf"/> (by 異動日; default today) as the register knew it
    /// at the end of <paramref name="asRecordedOn"/> (by 処理日; default now): the newest
    /// version (履歴番号) among those valid from that date and recorded by then.
    /// </summary>
    public async Task<PersonVersion?> GetAsync(string residentNumber, DateOnly? asOf, DateOnly? asRecordedOn, CancellationToken cancellationToken)
    {
        var found = await AsOf(db.PersonVersions.AsNoTracking().Where(p => p.ResidentNumber == residentNumber), asOf, asRecordedOn)
            .OrderByDescending(p => p.HistoryNumber)
            .FirstOrDefaultAsync(cancellationToken);
        if (found is not null || Archived is null || await HeldAsync(residentNumber, cancellationToken))
        {
            return found;
        }
        return await Archived.GetAsync(residentNumber, asOf, asRecordedOn, cancellationToken);
    }

    /// <summary>Whether the register (not the archive) holds the resident, in any version.</summary>
    private Task<bool> HeldAsync(string residentNumber, CancellationToken cancellationToken) =>
        db.PersonVersions.AsNoTracking().AnyAsync(p => p.ResidentNumber == residentNumber, cancellationToken);

    /// <summary>
    /// The store that holds every version of the resident: the register, or the 除票用データベース
    /// for a 除票 moved there; null when neither does.
    /// </summary>
    public async Task<SrsDbContext?> StoreOfAsync(string residentNumber, CancellationToken cancellationToken)
    {
        if (await HeldAsync(residentNumber, cancellationToken))
        {
            return db;
        }
        return archive is not null && await archive.HoldsAsync(residentNumber, cancellationToken) ? archive.Db : null;
    }

    /// <summary>
    /// The members of a household on a date (by 異動日, as recorded on a date), in the order of 5.2.
    /// <paramref name="movedRemovals"/>: its 除票 moved to the 除票用データベース are wanted too (a caller
    /// that shows or prints 除票); without it the archive is asked only for a household the register
    /// no longer holds, so that the counter's reads of current households never reach it.
    /// </summary>
    public async Task<HouseholdView?> GetHouseholdAsync(string householdNumber, DateOnly? asOf, DateOnly? asRecordedOn, bool movedRemovals, CancellationToken cancellationToken)
    {
        var view = await HouseholdHereAsync(householdNumber, asOf, asRecordedOn, cancellationToken);
        if (Archived is null || (view is not null && !movedRemovals)
            || await Archived.HouseholdHereAsync(householdNumber, asOf, asRecordedOn, cancellationToken) is not { } moved)
        {
            return view;
        }
        // 除票 of the household moved to the archive are still its 消除された世帯構成員 (3.3).
        var held = view is null ? [] : await db.PersonVersions.AsNoTracking()
            .Where(p => p.HouseholdNumber == householdNumber).Select(p => p.ResidentNumber).ToListAsync(cancellationToken);
        var removed = moved.Removed.Where(p => !held.Contains(p.ResidentNumber)).ToList();
        if (view is null)
        {
            return removed.Count == 0 ? null : moved with { Removed = removed };
        }
        return removed.Count == 0 ? view : view with { Removed = HouseholdOrder.Sort(view.Removed.Concat(removed)) };
    }

    private async Task<HouseholdView?> HouseholdHereAsync(string householdNumber, DateOnly? asOf, DateOnly? asRecordedOn, CancellationToken cancellationToken)
    {
        // Distinct in memory: asked of the engine, it may walk the whole city in key order to
        // avoid sorting instead of taking the household index.
        var ever = (await db.PersonVersions.AsNoTracking()
            .Where(p => p.HouseholdNumber == householdNumber)
            .Select(p => p.ResidentNumber)
            .ToListAsync(cancellationToken)).Distinct().ToList();
        if (ever.Count == 0)
        {
            return null;
        }
        // Every version of the members in one query (a handful of people), the newest as of
        // the date picked here: a list parameter inside a correlated subquery would keep the
        // engine from using the key.
        var versions = (await AsOf(db.PersonVersions.AsNoTracking().Where(p => ever.Contains(p.ResidentNumber)), asOf, asRecordedOn).ToListAsync(cancellationToken))
            .GroupBy(p => p.ResidentNumber)
            .Select(g => g.MaxBy(p => p.HistoryNumber)!)
            .ToList();
        var members = HouseholdOrder.Sort(versions.Where(p => p.HouseholdNumber == householdNumber && p.State == ResidentState.Active));
        var removed = HouseholdOrder.Sort(versions.Where(p => p.HouseholdNumber == householdNumber && p.State == ResidentState.Removed));
        return new HouseholdView(householdNumber, members.FirstOrDefault(m => m.Relationship == Relationships.Head), members) { Removed = removed };
    }

    /// <summary>異動履歴照会 (2.2.1): every 異動 that made a version of the resident, oldest first.</summary>
    public async Task<IReadOnlyList<IdouView>?> ListIdouAsync(string residentNumber, CancellationToken cancellationToken)
    {
        var versions = await db.PersonVersions.AsNoTracking()
            .Where(p => p.ResidentNumber == residentNumber)
            .Select(p => new { p.IdouId, p.HistoryNumber })
            .ToListAsync(cancellationToken);
        if (versions.Count == 0)
        {
            return Archived is null ? null : await Archived.ListIdouAsync(residentNumber, cancellationToken);
        }
        var ids = versions.Select(v => v.IdouId).Distinct().ToList();
        var idous = await db.Idous.AsNoTracking().Where(i => ids.Contains(i.Id)).ToListAsync(cancellationToken);
        return versions.OrderBy(v => v.HistoryNumber)
            .Select(v =>
            {
                var idou = idous.Single(i => i.Id == v.IdouId);
                var changes = string.IsNullOrEmpty(idou.Summary)
                    ? []
                    : JsonSerializer.Deserialize<List<ChangeSummary>>(idou.Summary)!.Where(c => c.ResidentNumber == residentNumber).ToList();
                return new IdouView(idou, v.HistoryNumber, changes);
            })
            .ToList();
    }

    /// <summary>方書入力補助 (4.0.7): the 方書 current residents have at one lot, most used first.</summary>
    public async Task<IReadOnlyList<(string Katagaki, int Residents)>> KatagakiAtAsync(string town, int chome, string banchi, CancellationToken cancellationToken)
    {
        var rows = await CurrentVersions()
            .Where(p => p.State == ResidentState.Active && p.Address.Town == town && p.Address.Chome == chome && p.Address.Banchi == banchi && p.Address.Katagaki != "")
            .GroupBy(p => p.Address.Katagaki)
            .Select(g => new { Katagaki = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return rows.OrderByDescending(r => r.Count).ThenBy(r => r.Katagaki, StringComparer.Ordinal).Select(r => (r.Katagaki, r.Count)).ToList();
    }

    /// <summary>本籍入力補助 (4.0.6): 現住所, 転入前住所, and the 本籍 of the head and the other members.</summary>
    public async Task<IReadOnlyList<(string Source, string Address, string HeadName)>?> DomicileCandidatesAsync(string residentNumber, CancellationToken cancellationToken)
    {
        var person = await GetAsync(residentNumber, null, null, cancellationToken);
        if (person is null)
        {
            return null;
        }
        var candidates = new List<(string Source, string Address, string HeadName)>
        {
            ("現住所", PersonMapping.Describe(person.Address), ""),
        };
        if (person.PreviousAddress.FreeText.Length > 0 || person.PreviousAddress.City.Length > 0)
        {
            candidates.Add(("転入前住所", PersonMapping.Describe(person.PreviousAddress), ""));
        }
        var members = await CurrentVersions()
            .Where(p => p.HouseholdNumber == person.HouseholdNumber && p.State == ResidentState.Active && p.Domicile != "")
            .ToListAsync(cancellationToken);
        foreach (var member in HouseholdOrder.Sort(members))
        {
            candidates.Add((member.Relationship == Relationships.Head ? "世帯主の本籍" : "世帯員の本籍", member.Domicile, member.DomicileHead));
        }
        return candidates.DistinctBy(c => (c.Address, c.HeadName)).ToList();
    }

    /// <summary>
    /// 転入通知未着者 (4.1.3.1.4): removed by 国内転出 or 職権消除, no notice, date passed by
    /// <paramref name="days"/>; ordered by 消除 date then 宛名番号, from after <paramref name="after"/>.
    /// </summary>
    public Task<List<PersonVersion>> MissingMoveInNoticesAsync(int days, (DateOnly RemovalOn, string ResidentNumber)? after, int take, CancellationToken cancellationToken)
    {
        var due = JapanTime.Today(time).AddDays(-days);
        var query = CurrentVersions()
            .Where(p => p.State == ResidentState.Removed && (p.RemovalReason == Registration.IdouReasons.DomesticMoveOut || p.RemovalReason == Registration.IdouReasons.OfficialRemoval) && p.MoveInNoticeOn == null && p.RemovalOn <= due);
        if (after is var (on, number))
        {
            query = query.Where(p => p.RemovalOn > on || (p.RemovalOn == on && p.ResidentNumber.CompareTo(number) > 0));
        }
        return query.OrderBy(p => p.RemovalOn).ThenBy(p => p.ResidentNumber).Take(take).ToListAsync(cancellationToken);
    }

    private IQueryable<PersonVersion> CurrentVersions() =>
        db.PersonVersions.AsNoTracking()
            .Where(p => !db.PersonVersions.Any(o => o.ResidentNumber == p.ResidentNumber && o.HistoryNumber > p.HistoryNumber));

    public async Task<ResidentPage> SearchAsync(ResidentSearch search, CancellationToken cancellationToken)
    {
        var size = search.PageSize switch
        {
            < 0 => throw DomainException.Invalid(ErrorReasons.InvalidField, "page_size", "page_size は0以上です。"),
            0 => DefaultPageSize,
            > MaxPageSize => MaxPageSize,
            _ => search.PageSize,
        };
        var fingerprint = JsonSerializer.Serialize(search with { PageSize = 0, PageToken = "" }) + string.Join(',', search.MissingItems);
        var after = DecodeToken(search.PageToken, fingerprint);
        var rows = await SearchRowsAsync(search, size, after, cancellationToken);
        if (search.IncludeRemoved && Archived is not null)
        {
            // 除票 in the archive match as they did in the register; both lists are in 宛名番号
            // order, so one page of each merged is the page (the token is the last number shown).
            var moved = await Archived.SearchRowsAsync(search, size, after, cancellationToken);
            if (moved.Count > 0)
            {
                var numbers = moved.Select(p => p.ResidentNumber).ToList();
                var held = await db.PersonVersions.AsNoTracking().Where(p => numbers.Contains(p.ResidentNumber)).Select(p => p.ResidentNumber).Distinct().ToListAsync(cancellationToken);
                rows = [.. rows.Concat(moved.Where(p => !held.Contains(p.ResidentNumber))).OrderBy(p => p.ResidentNumber, StringComparer.Ordinal).Take(size + 1)];
            }
        }
        var next = rows.Count > size ? EncodeToken(rows[size - 1].ResidentNumber, fingerprint) : "";
        return new ResidentPage(rows.Take(size).ToList(), next) { Fingerprint = fingerprint };
    }

    /// <summary>Up to <paramref name="size"/> + 1 matching residents after <paramref name="after"/>, in 宛名番号 order.</summary>
    private async Task<List<PersonVersion>> SearchRowsAsync(ResidentSearch search, int size, string? after, CancellationToken cancellationToken)
    {
        // Names and addresses match any version, past ones included (2.1.3); the result is
        // each matching person's current version.
        var versions = db.PersonVersions.AsNoTracking();
        var historyFilter = false;
        if (!string.IsNullOrWhiteSpace(search.GivenNameKana))
        {
            var given = KanaFolding.FoldKana(search.GivenNameKana);
            var givenEnd = Successor(given.Length > 0 ? given : " ");
            versions = versions.Where(p => p.SearchGivenKana.CompareTo(given) >= 0 && p.SearchGivenKana.CompareTo(givenEnd) < 0);
            historyFilter = true;
        }
        if (!string.IsNullOrWhiteSpace(search.Town))
        {
            var town = search.Town.Trim();
            versions = versions.Where(p => p.Address.Town == town);
            historyFilter = true;
        }
        if (!string.IsNullOrWhiteSpace(search.Banchi))
        {
            var banchi = search.Banchi.Trim();
            versions = versions.Where(p => p.Address.Banchi.StartsWith(banchi));
            historyFilter = true;
        }
        if (!string.IsNullOrWhiteSpace(search.Katagaki))
        {
            var katagaki = search.Katagaki.Trim();
            versions = versions.Where(p => p.Address.Katagaki.Contains(katagaki));
            historyFilter = true;
        }

        var current = db.PersonVersions.AsNoTracking()
            .Where(p => !db.PersonVersions.Any(o => o.ResidentNumber == p.ResidentNumber && o.HistoryNumber > p.HistoryNumber));
        if (historyFilter)
        {
            var matching = versions.Select(p => p.ResidentNumber);
            current = current.Where(p => matching.Contains(p.ResidentNumber));
        }
        if (ResidentRules.HasCompanySymbol(search.NameQuery))
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "name_query", ResidentRules.CompanySymbolMessage);
        }
        if (!string.IsNullOrWhiteSpace(search.NameQuery))
        {
            var named = MatchName(search.NameQuery.Trim(), search.NameMatch);
            current = current.Where(p => named.Contains(p.ResidentNumber));
        }
        if (!search.IncludeRemoved)
        {
            current = current.Where(p => p.State == ResidentState.Active);
        }
        current = ApplyCurrentFilters(current, search);
        if (after is not null)
        {
            current = current.Where(p => p.ResidentNumber.CompareTo(after) > 0);
        }
        return await current.OrderBy(p => p.ResidentNumber).Take(size + 1).ToListAsync(cancellationToken);
    }

    private static IQueryable<PersonVersion> ApplyCurrentFilters(IQueryable<PersonVersion> current, ResidentSearch search)
    {
        if (!string.IsNullOrWhiteSpace(search.BirthDate))
        {
            if (!Wareki.TryParse(search.BirthDate, out var year, out var month, out var day, out var problem))
            {
                throw DomainException.Invalid(ErrorReasons.InvalidField, "birth_date", $"生年月日「{search.BirthDate}」: {problem} (例: 1985-06-15, 昭和60年6月15日, S60.6.15)。");
            }
            current = current.Where(p => p.BirthYear == year);
            if (month > 0)
            {
                current = current.Where(p => p.BirthMonth == month);
            }
            if (day > 0)
            {
                current = current.Where(p => p.BirthDay == day);
            }
        }
        if (search.Sex != SexValue.Unspecified)
        {
            var sex = (int)search.Sex;
            current = current.Where(p => p.Sex == sex);
        }
        current = Exact(current, search.ResidentNumber, n => p => p.ResidentNumber == n);
        current = Exact(current, search.HouseholdNumber, n => p => p.HouseholdNumber == n);
        current = Exact(current, search.ResidentCode, n => p => p.ResidentCode == n);
        current = Exact(current, search.ResidenceCardNumber?.ToUpperInvariant(), n => p => p.ResidenceCardNumber == n);
        if (!string.IsNullOrWhiteSpace(search.IndividualNumber))
        {
            var number = search.IndividualNumber.Trim();
            if (!CheckDigits.IsValidIndividualNumber(number))
            {
                throw DomainException.Invalid(ErrorReasons.InvalidField, "individual_number", "個人番号は12桁の数字で、検査数字が正しい必要があります。");
            }
            current = current.Where(p => p.IndividualNumber == number);
        }
        if (!string.IsNullOrWhiteSpace(search.Relationship))
        {
            var relationship = Relationships.Normalize(search.Relationship);
            current = current.Where(p => p.Relationship == relationship);
        }
        if (search.DistrictAreas is { } areas)
        {
            current = current.Where(InDistrict(areas));
        }
        foreach (var item in search.MissingItems.Select(i => i.Trim()).Distinct())
        {
            current = item switch
            {
                "individual_number" => current.Where(p => p.IndividualNumber == ""),
                "resident_code" => current.Where(p => p.ResidentCode == ""),
                "person_name.family_kana" => current.Where(p => p.FamilyKana == ""),
                "person_name.given_kana" => current.Where(p => p.GivenKana == ""),
                "domicile" => current.Where(p => p.Kind == ResidentKind.Japanese && p.Domicile == ""),
                _ => throw DomainException.Invalid(ErrorReasons.InvalidField, "missing_items",
                    $"未入力検索できない項目です: {item} (individual_number, resident_code, person_name.family_kana, person_name.given_kana, domicile)"),
            };
        }
        return current;
    }

    private static readonly System.Reflection.MethodInfo ContainsInt = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2).MakeGenericMethod(typeof(int));

    /// <summary>The current address lies in one of the areas: (町字 = a and 丁目 in its list) or ….</summary>
    private static Expression<Func<PersonVersion, bool>> InDistrict(IReadOnlyList<Tenancy.DistrictArea> areas)
    {
        var p = Expression.Parameter(typeof(PersonVersion), "p");
        var address = Expression.Property(p, nameof(PersonVersion.Address));
        var town = Expression.Property(address, nameof(StoredAddress.Town));
        var chome = Expression.Property(address, nameof(StoredAddress.Chome));
        Expression body = Expression.Constant(false);
        foreach (var area in areas)
        {
            Expression match = Expression.Equal(town, Expression.Constant(area.Town));
            if (area.Chome.Count > 0)
            {
                match = Expression.AndAlso(match, Expression.Call(ContainsInt, Expression.Constant(area.Chome.ToArray()), chome));
            }
            body = Expression.OrElse(body, match);
        }
        return Expression.Lambda<Func<PersonVersion, bool>>(body, p);
    }

    private static IQueryable<PersonVersion> Exact(IQueryable<PersonVersion> query, string? value, Func<string, System.Linq.Expressions.Expression<Func<PersonVersion, bool>>> predicate) =>
        string.IsNullOrWhiteSpace(value) ? query : query.Where(predicate(value.Trim()));

    /// <summary>
    /// The residents any of whose names, past or present, match: the folded reading when the
    /// query is kana, else the folded written (or alphabet) form. A prefix is an index range.
    /// </summary>
    private IQueryable<string> MatchName(string query, NameMatch match)
    {
        var key = KanaFolding.IsKana(query) ? KanaFolding.FoldKana(query) : KanaFolding.FoldName(query);
        if (key.Length == 0)
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "name_query", "検索する氏名を入力してください。");
        }
        var alphabet = key.ToUpperInvariant();
        var keys = db.PersonSearchKeys.AsNoTracking();
        keys = match switch
        {
            NameMatch.Exact => keys.Where(k => k.Key == key || k.Key == alphabet),
            NameMatch.Contains => keys.Where(k => k.Key.Contains(key) || k.Key.Contains(alphabet)),
            _ => PrefixOf(keys, key, alphabet),
        };
        return keys.Select(k => k.ResidentNumber);
    }

    // Comparisons in these queries are translated to SQL: the search-key columns are compared by
    // code point (their collation is set to ordinal, SrsDbContext), never by culture.
    private static IQueryable<PersonSearchKey> PrefixOf(IQueryable<PersonSearchKey> keys, string key, string alphabet)
    {
        var end = Successor(key);
        if (alphabet == key)
        {
            return keys.Where(k => k.Key.CompareTo(key) >= 0 && k.Key.CompareTo(end) < 0);
        }
        var alphabetEnd = Successor(alphabet);
        return keys.Where(k => (k.Key.CompareTo(key) >= 0 && k.Key.CompareTo(end) < 0)
            || (k.Key.CompareTo(alphabet) >= 0 && k.Key.CompareTo(alphabetEnd) < 0));
    }

    /// <summary>The least string greater than every string that starts with <paramref name="prefix"/>.</summary>
    internal static string Successor(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    private IQueryable<PersonVersion> AsOf(IQueryable<PersonVersion> query, DateOnly? asOf, DateOnly? asRecordedOn)
    {
        var date = asOf ?? JapanTime.Today(time);
        query = query.Where(p => p.ValidFrom <= date);
        if (asRecordedOn is { } recorded)
        {
            var end = JapanTime.EndOfDayUtc(recorded);
            query = query.Where(p => p.RecordedAt < end);
        }
        return query;
    }

    internal static string EncodeToken(string lastResidentNumber, string fingerprint) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"v1\u001e{Hash(fingerprint)}\u001e{lastResidentNumber}"));

    private static string? DecodeToken(string token, string fingerprint)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('\u001e');
            if (parts.Length == 3 && parts[0] == "v1" && parts[1] == Hash(fingerprint))
            {
                return parts[2];
            }
        }
        catch (FormatException)
        {
        }
        throw DomainException.Invalid(ErrorReasons.InvalidPageToken, "page_token", "page_token が正しくないか、検索条件が前回と違います。");
    }

    private static string Hash(string text) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}
