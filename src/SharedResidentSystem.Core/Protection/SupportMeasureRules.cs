using SharedResidentSystem.Core.Residents;

namespace SharedResidentSystem.Core.Protection;

/// <summary>A 加害者 as recorded (1.1.16).</summary>
public sealed record PerpetratorValue(string Name, string NameKana, string ResidentNumber, PartialDateValue? BirthDate, int Sex, AddressValue Address, string Note);

/// <summary>A person protected with the applicant.</summary>
public sealed record CoProtectedValue(string ResidentNumber, string Relation);

/// <summary>One period of a measure.</summary>
public sealed record PeriodValue(DateOnly StartsOn, DateOnly EndsOn);

/// <summary>A 申出書 sent on to another city (転送先市区町村, 転送年月日).</summary>
public sealed record SentOnValue(string City, DateOnly SentOn);

/// <summary>
/// 転送情報 (1.1.16): as the 当初受付市区町村, where the 申出書 was sent on; as the 転送受付市区町村, the
/// day the one sent on was received, the 当初受付市区町村, and the day the applicant was told that no
/// support was needed (when so found).
/// </summary>
public sealed record TransferValue(IReadOnlyList<SentOnValue> SentTo, DateOnly? ReceivedOn, string OriginalCity, DateOnly? NoNeedNotifiedOn)
{
    public static readonly TransferValue None = new([], null, "", null);
}

/// <summary>Who asks at the counter.</summary>
public sealed record RequesterValue(string Name, string NameKana, PartialDateValue? BirthDate, string ResidentNumber);

/// <summary>The dates and matches of 支援措置 (3.4).</summary>
public static class SupportMeasureRules
{
    /// <summary>One year: a measure from 2020-04-01 ends on 2021-03-31.</summary>
    public static DateOnly EndOf(DateOnly startsOn) => startsOn.AddYears(1).AddDays(-1);

    /// <summary>An extension is possible from one month before the end.</summary>
    public static DateOnly ExtensionOpensOn(DateOnly endsOn) => endsOn.AddMonths(-1);

    /// <summary>The extended period starts the day after the end and lasts one year.</summary>
    public static PeriodValue Extension(DateOnly endsOn) => new(endsOn.AddDays(1), EndOf(endsOn.AddDays(1)));

    /// <summary>Notices shown when the protected person's record is read (3.4).</summary>
    public static IEnumerable<string> Notices(DateOnly endsOn, DateOnly today)
    {
        if (today > endsOn)
        {
            yield return $"支援措置の期間が終了しています (終了日 {endsOn:yyyy-MM-dd})。延長または終了の処理をしてください。";
        }
        else if (today >= ExtensionOpensOn(endsOn))
        {
            yield return $"支援措置の期間が1か月以内に終了します (終了日 {endsOn:yyyy-MM-dd})。";
        }
    }

    /// <summary>
    /// Whether a requester is the recorded 加害者: the same 宛名番号, or the same name (written
    /// or read, folded) unless both birth dates are known and differ. Doubt counts as a match.
    /// </summary>
    public static bool IsPerpetrator(PerpetratorValue perpetrator, RequesterValue requester)
    {
        if (perpetrator.ResidentNumber.Length > 0 && perpetrator.ResidentNumber == requester.ResidentNumber)
        {
            return true;
        }
        var sameName = (perpetrator.Name.Length > 0 && KanaFolding.FoldName(perpetrator.Name) == KanaFolding.FoldName(requester.Name))
            || (perpetrator.NameKana.Length > 0 && requester.NameKana.Length > 0 && KanaFolding.FoldKana(perpetrator.NameKana) == KanaFolding.FoldKana(requester.NameKana));
        if (!sameName)
        {
            return false;
        }
        var a = perpetrator.BirthDate;
        var b = requester.BirthDate;
        return a is not { IsComplete: true } || b is not { IsComplete: true } || a == b;
    }
}
