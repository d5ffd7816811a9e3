using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Registration;

public sealed partial class RegisterService
{
    /// <summary>Days ahead beyond which a planned 転出 date needs a second look.</summary>
    public const int PlannedMoveOutDays = 30;

    /// <summary>
    /// 転出 (4.1.3): the residents become 除票 when the 届出 is recorded, with the planned date
    /// (which may be after today, 4.0.3) as the date of the 消除事由.
    /// </summary>
    public async Task<IdouResult> MoveOutAsync(Caller caller, string requestId, MoveOutCommand command, CancellationToken cancellationToken)
    {
        var work = Begin(caller, requestId, command.Header.AcknowledgedAlerts);
        var header = command.Header;
        var v = new Violations();
        CheckHeader(v, header, work.Today, futureAllowed: true);
        RequireDistinct(v, "residents", command.Residents);
        AddressRules.CheckPrevious(v, "destination", command.Destination, command.Abroad, "転出先住所");
        if (command.Special && command.Abroad)
        {
            v.Add("special", "特例転出は国内転出だけです。国外転出では指定できません。");
        }
        v.ThrowIfAny();

        var movers = await ResidentsAsync(work, command.Residents, "residents", cancellationToken);
        Chronology.Check(movers, header.Date!.Value, header.DateField, "転出");
        var alerts = new AlertCollector(header.AcknowledgedAlerts);
        var planned = header.Date!.Value;
        if (planned.DayNumber - work.Today.DayNumber > PlannedMoveOutDays)
        {
            alerts.Raise(AlertCodes.PlannedFarAhead, "planned_date", $"転出予定日が{PlannedMoveOutDays}日より先です。");
        }
        // 4.1.3.0.4: 特例転出 rests on a card: someone moving must hold a 個人番号カード or 住基カード.
        if (command.Special && !movers.Any(m => m.CardHeld))
        {
            throw RecordRule("special", "転出する人の中に個人番号カード又は住基カードを保有している人がいません。特例転出にはできません。");
        }
        await work.ApplyHeadRuleAsync(movers, alerts, "residents", cancellationToken);
        // 4.1.3.0.1: a 転出届 made more than 14 days after the move is not a 届出: it is recorded as 職権消除.
        var late = header.NotificationDate is { } notified && notified.DayNumber - planned.DayNumber > NotificationDays;
        if (late)
        {
            alerts.Raise(AlertCodes.NotifiedLate, "notification_date",
                $"転出日から{NotificationDays}日を過ぎた届出です。届出ではなく職権消除として記録します。");
        }
        if (late && command.Special)
        {
            // Recorded as 職権消除, which sends no 転出証明書情報: the 特例 cannot apply.
            throw RecordRule("special", $"転出日から{NotificationDays}日を過ぎた届出は職権消除として記録するため、特例転出にはできません。");
        }
        alerts.ThrowIfUnacknowledged();

        var reason = late ? IdouReasons.OfficialRemoval : command.Abroad ? IdouReasons.MoveOutAbroad : IdouReasons.DomesticMoveOut;
        foreach (var mover in movers)
        {
            work.Remove(mover, reason, planned);
            work.Next(mover).Destination = AddressRules.ToStored(command.Destination);
            work.Next(mover).SpecialMoveOut = command.Special;
            // 1.1.5: the 除票 holds the date of the 転出届 as its 届出の年月日 (the 転入届's stays in the earlier version).
            work.Next(mover).NotifiedOn = header.NotificationDate ?? work.Next(mover).NotifiedOn;
        }
        var validFrom = planned < work.Today ? planned : work.Today;
        return await work.RecordAsync(reason, header, planned, validFrom, alerts, late ? "転出届の期間経過による職権消除 (転出先: " + PersonMapping.Describe(AddressRules.ToStored(command.Destination)) + ")" : "",
            movers[0].HouseholdNumber, cancellationToken);
    }

    /// <summary>
    /// 転入通知の受理 (4.1.3.1.1): on the 除票 of a 転出 or 職権消除, the 通知日 and the confirmed date and
    /// destination are recorded beside the planned ones, which stay as they were.
    /// </summary>
    public async Task<IdouResult> MoveInNoticeAsync(Caller caller, string requestId, ResidentRefValue resident, DateOnly? noticeDate, DateOnly? confirmedOn,
        Residents.AddressValue destination, IReadOnlyList<string> acknowledged, CancellationToken cancellationToken)
    {
        var work = Begin(caller, requestId, acknowledged);
        var v = new Violations();
        ResidentRules.CheckNotFuture(v, "notice_date", noticeDate, "転入通知日", work.Today);
        if (confirmedOn is null)
        {
            v.Add("confirmed_on", "転出年月日（確定）を入力してください。");
        }
        if (destination.IsEmpty)
        {
            v.Add("confirmed_destination", "転出先住所（確定）を入力してください。");
        }
        AddressRules.CheckPostalCode(v, "confirmed_destination", destination, false, "転出先住所（確定）");
        v.ThrowIfAny();
        var removed = await work.ResidentAsync(resident, "resident", cancellationToken, mustBeActive: false);
        if (removed.State != ResidentState.Removed || removed.RemovalReason is not (IdouReasons.DomesticMoveOut or IdouReasons.OfficialRemoval))
        {
            throw RecordRule("resident", "転入通知を受理できるのは国内転出または職権消除の除票です。");
        }
        if (removed.AddressSetOn is { } settled && confirmedOn < settled)
        {
            throw RecordRule("confirmed_on", $"転入日 {confirmedOn:yyyy-MM-dd} が、この住所を定めた日 {settled:yyyy-MM-dd} より前です。");
        }
        var next = work.Next(removed);
        next.MoveInNoticeOn = noticeDate;
        next.MoveOutConfirmedOn = confirmedOn;
        next.ConfirmedDestination = AddressRules.ToStored(destination);
        // 1.1.5#2: a 転出 is removed on the earlier of the planned day and the day the notice says the
        // person moved in; the 転出予定年月日 stays the 除票's 事由の生じた年月日.
        var removedFrom = removed.RemovalReason == IdouReasons.DomesticMoveOut && removed.RemovalOn is { } planned && confirmedOn < planned
            ? confirmedOn.Value
            : noticeDate!.Value;
        var header = new IdouHeader("notice_date", noticeDate, noticeDate, new NotifierValue("", "転入地市区町村"), acknowledged) { Basis = IdouBasis.Notice };
        return await work.RecordAsync(IdouReasons.OfficialCorrection, header, noticeDate!.Value, removedFrom, new AlertCollector(acknowledged), "転入通知の受理", removed.HouseholdNumber, cancellationToken);
    }
}

/// <summary>転出 on a planned date (which may be after today); <paramref name="Special"/>: 特例転出 (4.1.3.0.4).</summary>
public sealed record MoveOutCommand(IdouHeader Header, IReadOnlyList<ResidentRefValue> Residents, AddressValue Destination, bool Abroad, bool Special = false);
