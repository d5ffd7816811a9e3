using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Registration;

/// <summary>
/// 市町村通知 for 入管 (4.5.7): each 異動 of a foreign resident writes one, in the 異動's transaction.
/// A 異動 that sets an address is 住基法・入管法 (住居地届出 as well); the others are 住基法. A
/// planned 転出 is due on its planned date.
/// </summary>
public static class ImmigrationNotices
{
    public const string Topic = "入管";
    public const string Both = "住基法・入管法";
    public const string ResidentsActOnly = "住基法";

    private static readonly HashSet<string> SetsAddress =
        [IdouReasons.DomesticMoveIn, IdouReasons.MoveInFromAbroad, IdouReasons.AddressChange, IdouReasons.OfficialEntry, IdouReasons.OfficialEntryLossOfNationality];

    internal static async Task AddAsync(SrsDbContext db, NumberIssuer numbers, Idou idou, IEnumerable<PersonVersion> written,
        IReadOnlyDictionary<string, PersonVersion> before, DateTime now, DateOnly today, CancellationToken cancellationToken)
    {
        foreach (var person in written)
        {
            var wasForeign = before.TryGetValue(person.ResidentNumber, out var previous) && previous.Kind == ResidentKind.Foreign;
            if (person.Kind != ResidentKind.Foreign && !wasForeign)
            {
                continue;
            }
            db.Outbox.Add(OutboxMessage.Waiting(idou, await numbers.NextAsync(idou.TenantCode, NumberKinds.Outbox, cancellationToken), Topic, person.ResidentNumber,
                SetsAddress.Contains(idou.Reason) ? Both : ResidentsActOnly,
                idou.Reason is IdouReasons.DomesticMoveOut or IdouReasons.MoveOutAbroad ? idou.OccurredOn : today, now));
        }
    }
}
