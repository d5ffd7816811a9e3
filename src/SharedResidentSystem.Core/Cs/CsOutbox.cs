using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Cs;

/// <summary>
/// The messages each 異動 owes the 住基ネット CS (7.1.1.1), written to the outbox in the 異動's own
/// transaction so that none is lost and their order is the order of the 異動:
/// <list type="bullet">
/// <item>本人確認情報 for every person the 異動 writes;</item>
/// <item>転入通知情報 to the former city (or the 最終住民登録地 / 未届地) for a 国内転入 (9条1項);</item>
/// <item>転出証明書情報 for a 特例転出 (4.1.3.0.4; a 転出 with a paper 転出証明書 sends none);</item>
/// <item>戸籍附票記載事項通知 to the 本籍地 of a Japanese resident whose address is set or ended
/// (転入, 転居, 転出 including abroad, 職権記載 and 職権消除, 死亡, and the 取消し that undo them);</item>
/// <item>個人番号の生成要求 for a person who enters the register without one (出生, 国外転入, 職権記載);</item>
/// <item>送付先情報 (7.1.1.4) and 符号の取得要求 (7.1.2.2) for a person given a new 個人番号 (its 通知書
/// goes to the 送付先; the 中間サーバー needs the 符号 of the new number).</item>
/// <item>戸籍附票記載事項通知 and 送付先情報 for a 軽微な修正 of the 住所 itself (9.7 住所一括変更) and
/// for the 取消し of a 転居 or of such a 修正.</item>
/// </list>
/// The message itself is built when it is sent, from the person's version the 異動 wrote (versions
/// never change), so the row holds only what to send and its state.
/// </summary>
public static class CsOutbox
{
    public const string Topic = "CS";

    /// <summary>
    /// The cities with a CS message not yet sent: one read across cities, of their codes only, so
    /// that a delivery round costs the same with three cities or with every city in Japan.
    /// </summary>
    public static async Task<HashSet<string>> CitiesWithUnsentAsync(SrsDbContext db, CancellationToken cancellationToken) =>
        (await db.Outbox.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.Topic == Topic && (m.State == OutboxState.Pending || m.State == OutboxState.Failed))
            .Select(m => m.TenantCode).Distinct().ToListAsync(cancellationToken))
        .ToHashSet(StringComparer.Ordinal);

    public const string Identity = "本人確認情報";
    public const string MoveInNotice = "転入通知情報";
    public const string MoveOutCertificate = "転出証明書情報";
    public const string FamilyRegisterAnnex = "戸籍附票記載事項通知";
    public const string IndividualNumberRequest = "個人番号の生成要求";
    public const string IndividualNumberChangeRequest = "個人番号の変更要求";
    /// <summary>Sent on a 交付地's request received from the CS (7.1.1.1), not by a 異動.</summary>
    public const string WideAreaCopy = "広域交付住民票情報";
    /// <summary>7.1.1.4: on a new 個人番号, on a clerk's designation, and for the CS's 更新対象者.</summary>
    public const string DeliveryAddress = "送付先情報";
    public const string SymbolRequest = "符号の取得要求";
    /// <summary>7.1.2.4: on a clerk's request; the CS answers with the serial number.</summary>
    public const string CertificateSerialRequest = "電子証明書のシリアル番号の取得要求";

    public static readonly IReadOnlyList<string> Kinds = [Identity, MoveInNotice, MoveOutCertificate, FamilyRegisterAnnex, IndividualNumberRequest, IndividualNumberChangeRequest, WideAreaCopy, DeliveryAddress, SymbolRequest,
        CertificateSerialRequest];

    /// <summary>Whether the CS answers this kind with a 個人番号 that the link takes into the register.</summary>
    public static bool AsksForNumber(string kind) => kind is IndividualNumberRequest or IndividualNumberChangeRequest;

    private static readonly HashSet<string> AddressReasons =
    [
        IdouReasons.DomesticMoveIn, IdouReasons.MoveInFromAbroad, IdouReasons.AddressChange, IdouReasons.DomesticMoveOut, IdouReasons.MoveOutAbroad,
        IdouReasons.OfficialEntry, IdouReasons.OfficialEntryNaturalization, IdouReasons.OfficialEntryLossOfNationality,
        IdouReasons.OfficialRemoval, IdouReasons.OfficialRemovalNaturalization, IdouReasons.OfficialRemovalLossOfNationality, IdouReasons.Death,
        // 取消し of a 異動 that set or ended the address sets or ends it again (the 附票 follows).
        IdouReasons.CancellationIncrease, IdouReasons.CancellationDecrease,
    ];

    private static readonly HashSet<string> EntersWithoutNumber =
        [IdouReasons.Birth, IdouReasons.MoveInFromAbroad, IdouReasons.OfficialEntry, IdouReasons.OfficialEntryNaturalization, IdouReasons.OfficialEntryLossOfNationality];

    /// <summary>The 事由 that give a person a new 個人番号 (not one they brought from another city).</summary>
    private static readonly HashSet<string> NumberGivenBy =
        [IdouReasons.IndividualNumberOfficialEntry, IdouReasons.IndividualNumberChangeRequest, IdouReasons.IndividualNumberOfficialCorrection];

    /// <summary>Whether a 異動 of this 事由 sets or ends a person's address (what the 本籍地's 戸籍附票 records).</summary>
    public static bool SetsOrEndsAddress(string reason) => AddressReasons.Contains(reason);

    /// <summary>The kinds a 異動 owes for one person, in the order they are sent.</summary>
    public static IReadOnlyList<string> Owed(string reason, PersonVersion person, PersonVersion? before)
    {
        var kinds = new List<string>();
        if (reason == IdouReasons.Remaking)
        {
            // 改製 (1.1.4) makes the 住民票 anew with the same items: nothing for the CS.
            return kinds;
        }
        if (EntersWithoutNumber.Contains(reason) && person.IndividualNumber.Length == 0)
        {
            kinds.Add(IndividualNumberRequest);
        }
        // 7.1.2.1: a 変更請求 or 職権修正 of the number entered without the new one asks the CS for it.
        if (reason is IdouReasons.IndividualNumberChangeRequest or IdouReasons.IndividualNumberOfficialCorrection
            && person.IndividualNumber.Length > 0 && person.IndividualNumber == before?.IndividualNumber)
        {
            kinds.Add(IndividualNumberChangeRequest);
        }
        kinds.Add(Identity);
        if (reason == IdouReasons.DomesticMoveIn)
        {
            kinds.Add(MoveInNotice);
        }
        if (reason == IdouReasons.DomesticMoveOut && person.SpecialMoveOut)
        {
            kinds.Add(MoveOutCertificate);
        }
        var japanese = person.Kind == ResidentKind.Japanese || before?.Kind == ResidentKind.Japanese;
        // A 修正 that moves the 住所 itself (住居表示の実施 by 9.7's 軽微な修正, or the 取消し of a 転居
        // or of such a 修正) changes what the 本籍地's 附票 records, and where the CS sends.
        var addressCorrected = reason is IdouReasons.MinorCorrection or IdouReasons.CancellationAmendment
            && before is not null && !Residents.PersonMapping.SameLot(before.Address, person.Address);
        if (japanese && (AddressReasons.Contains(reason) || addressCorrected) && HasDomicile(person.Domicile))
        {
            kinds.Add(FamilyRegisterAnnex);
        }
        if (NumberGivenBy.Contains(reason) && person.IndividualNumber.Length > 0 && person.IndividualNumber != before?.IndividualNumber)
        {
            kinds.Add(DeliveryAddress);
            kinds.Add(SymbolRequest);
        }
        else if (addressCorrected && person.State == ResidentState.Active)
        {
            // 9.7#9: the 送付先 follows the corrected 住所.
            kinds.Add(DeliveryAddress);
        }
        return kinds;
    }

    private static bool HasDomicile(string domicile) => domicile.Trim() is { Length: > 0 } d && d is not ("なし" or "不明");

    /// <summary>
    /// A message not written by a 異動 (広域交付住民票情報, 送付先情報 on a designation or for the CS's
    /// 更新対象者): it takes the person's current version (its 異動) and the next place in the city's order.
    /// </summary>
    public static async Task<OutboxMessage> AddForPersonAsync(SrsDbContext db, NumberIssuer numbers, PersonVersion current, string category, string reason,
        string recipient, DateOnly today, DateTime now, CancellationToken cancellationToken)
    {
        var row = OutboxMessage.Pending(current.TenantCode, await numbers.NextAsync(current.TenantCode, NumberKinds.Outbox, cancellationToken), Topic, current.IdouId,
            current.ResidentNumber, category, reason, today, now, recipient);
        db.Outbox.Add(row);
        return row;
    }

    internal static async Task AddAsync(SrsDbContext db, NumberIssuer numbers, Idou idou, IEnumerable<PersonVersion> written,
        IReadOnlyDictionary<string, PersonVersion> before, DateTime now, DateOnly today, CancellationToken cancellationToken)
    {
        foreach (var person in written.OrderBy(p => p.ResidentNumber, StringComparer.Ordinal))
        {
            foreach (var kind in Owed(idou.Reason, person, before.GetValueOrDefault(person.ResidentNumber)))
            {
                db.Outbox.Add(OutboxMessage.Waiting(idou, await numbers.NextAsync(idou.TenantCode, NumberKinds.Outbox, cancellationToken), Topic, person.ResidentNumber, kind, today, now));
            }
        }
    }
}
