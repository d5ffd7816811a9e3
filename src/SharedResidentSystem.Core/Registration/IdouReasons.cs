namespace SharedResidentSystem.Core.Registration;

/// <summary>
/// The names of the 異動事由 (1.2.2), each in its category 記載 / 消除 / 修正. The list is the
/// standard's; it has no 「転居取消」 (a 転居 is undone by 異動の取消し（修正）). The names are
/// constants so that rules can match stored reasons; the typed value is <see cref="IdouReason"/>.
/// </summary>
public static class IdouReasons
{
    public const string Entry = "記載";
    public const string Removal = "消除";
    public const string Amendment = "修正";

    public const string DomesticMoveIn = "国内転入";
    public const string MoveInFromAbroad = "国外転入等";
    public const string Birth = "出生";
    public const string DomesticMoveOut = "国内転出";
    public const string MoveOutAbroad = "国外転出";
    public const string Death = "死亡";
    public const string AddressChange = "転居";
    public const string MinorCorrection = "軽微な修正";
    public const string HouseholdSplit = "世帯分離";
    public const string HouseholdMerge = "世帯合併";
    public const string HouseholdChange = "世帯変更";
    public const string HeadChange = "世帯主変更";
    public const string OfficialEntry = "職権記載";
    public const string OfficialEntryNaturalization = "職権記載（帰化等）";
    public const string OfficialEntryLossOfNationality = "職権記載（国籍喪失）";
    public const string OfficialRemoval = "職権消除";
    public const string OfficialRemovalNaturalization = "職権消除（帰化等）";
    public const string OfficialRemovalLossOfNationality = "職権消除（国籍喪失）";
    public const string OfficialCorrection = "職権修正";
    public const string ClericalError = "誤記修正";
    public const string IndividualNumberChangeRequest = "個人番号の変更請求";
    public const string IndividualNumberOfficialCorrection = "個人番号の職権修正";
    public const string IndividualNumberOfficialEntry = "個人番号の職権記載";
    public const string ResidentCodeChangeRequest = "住民票コードの変更請求";
    public const string ResidentCodeOfficialEntry = "住民票コードの職権記載";
    public const string OldSurnameEntry = "旧氏の記載";
    public const string OldSurnameChange = "旧氏の変更";
    public const string OldSurnameDeletion = "旧氏の削除";
    public const string CommonNameEntry = "通称の記載";
    public const string CommonNameDeletion = "通称の削除";
    public const string Remaking = "改製";
    public const string Reissue = "再製";
    public const string CancellationIncrease = "異動の取消し（増）";
    public const string CancellationDecrease = "異動の取消し（減）";
    public const string CancellationAmendment = "異動の取消し（修正）";

    /// <summary>帰化等 is one 異動事由 for two causes; the 職権記録書 begins with which (4.5.3, 4.5.4).</summary>
    public const string CauseNaturalization = "帰化";

    /// <summary>国籍取得 (国籍法3条・17条), recorded as 帰化等 (4.5.4).</summary>
    public const string CauseNationalityAcquisition = "国籍取得";

    /// <summary>The 職権記録書 of an 異動 whose reason has several causes: the cause, then what the clerk wrote.</summary>
    public static string WithCause(string cause, string note)
    {
        var text = note.Trim();
        return cause.Length == 0 || text.StartsWith(cause, StringComparison.Ordinal) ? text : $"{cause}　{text}";
    }

    /// <summary>Every reason of 1.2.2 by category.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> All = new Dictionary<string, IReadOnlyList<string>>
    {
        [Entry] =
        [
            DomesticMoveIn, MoveInFromAbroad, Birth, OfficialEntryNaturalization, OfficialEntryLossOfNationality, OfficialEntry, Remaking, Reissue, CancellationIncrease,
        ],
        [Removal] =
        [
            DomesticMoveOut, MoveOutAbroad, Death, OfficialRemovalNaturalization, OfficialRemovalLossOfNationality, OfficialRemoval, Remaking, Reissue, CancellationDecrease,
        ],
        [Amendment] =
        [
            AddressChange, MinorCorrection, OfficialCorrection, ClericalError, IndividualNumberChangeRequest, IndividualNumberOfficialCorrection, IndividualNumberOfficialEntry,
            ResidentCodeChangeRequest, ResidentCodeOfficialEntry, HouseholdSplit, HouseholdMerge, HouseholdChange, HeadChange,
            OldSurnameEntry, OldSurnameChange, OldSurnameDeletion, CommonNameEntry, CommonNameDeletion, CancellationAmendment,
        ],
    };
}
