using System.Text;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Time;

namespace SharedResidentSystem.Core.Residents;

/// <summary>A search of the caller's city (2.1).</summary>
public sealed record ResidentSearch(string NameQuery, string ResidentNumber, bool IncludeRemoved, int PageSize, string PageToken);

/// <summary>One page of results and the token of the next.</summary>
public sealed record ResidentPage(IReadOnlyList<PersonVersion> Residents, string NextPageToken);

/// <summary>
/// Reads the register. Every query runs through the tenant filter of <see cref="SrsDbContext"/>,
/// so another city's residents are never seen, not even as a count.
/// </summary>
public sealed class ResidentQueries(SrsDbContext db)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>
    /// The version that held on <paramref name="asOf"/> (by 異動日) as the register knew it at
    /// the end of <paramref name="asRecordedOn"/> (by 処理日). Null when there was none.
    /// </summary>
    public async Task<PersonVersion?> GetAsync(string residentNumber, DateOnly? asOf, DateOnly? asRecordedOn, CancellationToken cancellationToken)
    {
        var query = db.PersonVersions.AsNoTracking().Where(p => p.ResidentNumber == residentNumber);
        if (asOf is { } date)
        {
            query = query.Where(p => p.ValidFrom <= date);
        }
        if (asRecordedOn is { } recorded)
        {
            var end = JapanTime.EndOfDayUtc(recorded);
            query = query.Where(p => p.RecordedAt < end);
        }
        return await query.OrderByDescending(p => p.ValidFrom).ThenByDescending(p => p.HistoryNumber).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<ResidentPage> SearchAsync(ResidentSearch search, CancellationToken cancellationToken)
    {
        var size = search.PageSize switch
        {
            < 0 => throw DomainException.Invalid(ErrorReasons.InvalidField, "page_size", "page_size は0以上です。"),
            0 => DefaultPageSize,
            > MaxPageSize => MaxPageSize,
            _ => search.PageSize,
        };
        var fingerprint = $"{search.NameQuery}\u001f{search.ResidentNumber}\u001f{search.IncludeRemoved}";
        var after = DecodeToken(search.PageToken, fingerprint);

        var current = db.PersonVersions.AsNoTracking()
            .Where(p => !db.PersonVersions.Any(o => o.ResidentNumber == p.ResidentNumber && o.HistoryNumber > p.HistoryNumber));
        if (!search.IncludeRemoved)
        {
            current = current.Where(p => p.State == ResidentState.Active);
        }
        if (!string.IsNullOrWhiteSpace(search.ResidentNumber))
        {
            var number = search.ResidentNumber.Trim();
            current = current.Where(p => p.ResidentNumber == number);
        }
        if (!string.IsNullOrWhiteSpace(search.NameQuery))
        {
            var kana = KanaFolding.IsKana(search.NameQuery) ? KanaFolding.FoldKana(search.NameQuery) : "";
            var written = KanaFolding.FoldName(search.NameQuery);
            current = kana.Length > 0
                ? current.Where(p => p.SearchKana.StartsWith(kana) || p.SearchName.StartsWith(written))
                : current.Where(p => p.SearchName.StartsWith(written));
        }
        if (after is not null)
        {
            current = current.Where(p => string.Compare(p.ResidentNumber, after) > 0);
        }
        var rows = await current.OrderBy(p => p.ResidentNumber).Take(size + 1).ToListAsync(cancellationToken);
        var next = rows.Count > size ? EncodeToken(rows[size - 1].ResidentNumber, fingerprint) : "";
        return new ResidentPage(rows.Take(size).ToList(), next);
    }

    private static string EncodeToken(string lastResidentNumber, string fingerprint) =>
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
