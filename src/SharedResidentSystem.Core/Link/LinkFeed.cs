using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Link;

/// <summary>
/// The city's change feed for its other systems (7.2.3, 3.2, 7.2.4): one row per person a 異動
/// writes, and per person a 抑止 or 支援措置 is set for or lifted from, written in the change's own
/// transaction. Rows take the city's outbox serial, which commits in order (two writers of one
/// city collide on it), so a subscriber that has read up to a row has seen every earlier one.
/// A row says only who changed and why; what a system receives is built when it is delivered,
/// from the version the 異動 wrote (versions never change) and only with the system's items.
/// Each system keeps its own position (its resume token); the rows are not consumed.
/// </summary>
public static class LinkFeed
{
    public const string Topic = "LINK";

    /// <summary>Row categories.</summary>
    public const string Idou = "異動";
    public const string Suppression = "抑止";
    public const string SupportMeasure = "支援措置";

    /// <summary>Row reasons of a 抑止 or 支援措置 change.</summary>
    public const string Set = "設定";
    public const string Lifted = "解除";

    internal static async Task AddIdouAsync(SrsDbContext db, NumberIssuer numbers, Storage.Idou idou, IEnumerable<PersonVersion> written, DateTime now, DateOnly today,
        CancellationToken cancellationToken)
    {
        foreach (var person in written.OrderBy(p => p.ResidentNumber, StringComparer.Ordinal))
        {
            db.Outbox.Add(OutboxMessage.Waiting(idou, await numbers.NextAsync(idou.TenantCode, NumberKinds.Outbox, cancellationToken), Topic, person.ResidentNumber, Idou, today, now));
        }
    }

    /// <summary>A 抑止 set or lifted: a row for its resident, or for each current member of its household.</summary>
    internal static async Task AddProtectionAsync(SrsDbContext db, NumberIssuer numbers, string tenant, string resident, string household, string category, string reason,
        DateTime now, DateOnly today, CancellationToken cancellationToken)
    {
        var residents = resident.Length > 0
            ? [resident]
            : await db.CurrentVersions.AsNoTracking()
                .Where(p => p.HouseholdNumber == household)
                .Select(p => p.ResidentNumber).OrderBy(n => n).ToListAsync(cancellationToken);
        foreach (var number in residents)
        {
            db.Outbox.Add(OutboxMessage.Pending(tenant, await numbers.NextAsync(tenant, NumberKinds.Outbox, cancellationToken), Topic, 0, number, category, reason, today, now));
        }
    }

    /// <summary>Whether a 戸籍附票システム (7.2.4) receives this 異動 of this person: an address set or ended of a Japanese whose 本籍 is in the city.</summary>
    public static bool ConcernsFamilyRegisterAnnex(string reason, PersonVersion person, string prefecture, string city) =>
        Cs.CsOutbox.SetsOrEndsAddress(reason) && person.Kind == ResidentKind.Japanese && IsDomicileIn(person.Domicile, prefecture, city);

    /// <summary>本籍 in the city: written with or without its prefecture ("東京都小平市…", "小平市…").</summary>
    public static bool IsDomicileIn(string domicile, string prefecture, string city)
    {
        var text = domicile.Trim();
        if (text.StartsWith(prefecture, StringComparison.Ordinal))
        {
            text = text[prefecture.Length..];
        }
        return city.Length > 0 && text.StartsWith(city, StringComparison.Ordinal);
    }
}
