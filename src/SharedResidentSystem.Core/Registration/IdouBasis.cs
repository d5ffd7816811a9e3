namespace SharedResidentSystem.Core.Registration;

/// <summary>
/// What a 異動 was made on, which names the date recorded with it (1.2.1#6-9): a 届出 (届出日), a
/// 戸籍届出 or 戸籍通知 (戸籍届出・通知日, 4.2.0.4), a 申出 (申出日, 4.2.0.5), a 通知 from another
/// office (通知日: 転入通知, 出入国在留管理庁長官通知), a 請求 (請求日: 旧氏, 個人番号の変更), or the
/// city's own finding (職権). The standard lets these dates be one data item (4.2.0.4#3, 4.2.0.5#4):
/// it is the 異動's notified date, named by its basis.
/// </summary>
public static class IdouBasis
{
    public const string Notification = "届出";
    public const string FamilyRegister = "戸籍届出・通知";
    public const string Application = "申出";
    public const string Notice = "通知";
    public const string Request = "請求";
    public const string Official = "職権";

    /// <summary>The bases a clerk may choose for a 職権 異動 (記載, 消除, 修正, 取消し); the others follow from the reason.</summary>
    public static readonly IReadOnlyList<string> Chosen = [Official, Application, FamilyRegister, Notice];

    /// <summary>The basis of a 異動 of <paramref name="reason"/>: the one given for a 職権 異動, else the reason's own.</summary>
    public static string Of(string reason, string given) => reason switch
    {
        IdouReasons.DomesticMoveIn or IdouReasons.MoveInFromAbroad or IdouReasons.AddressChange or IdouReasons.DomesticMoveOut or IdouReasons.MoveOutAbroad
            or IdouReasons.HouseholdSplit or IdouReasons.HouseholdMerge or IdouReasons.HouseholdChange or IdouReasons.HeadChange => Notification,
        // 出生届・死亡届 are 戸籍法 届出 that stand for the 住民基本台帳法's (法第29条).
        IdouReasons.Birth or IdouReasons.Death => FamilyRegister,
        IdouReasons.OldSurnameEntry or IdouReasons.OldSurnameChange or IdouReasons.OldSurnameDeletion
            or IdouReasons.IndividualNumberChangeRequest or IdouReasons.ResidentCodeChangeRequest => Request,
        IdouReasons.CommonNameEntry or IdouReasons.CommonNameDeletion => Application,
        _ => given.Length > 0 ? given : Official,
    };

    /// <summary>The name of the date a 異動 on <paramref name="basis"/> carries.</summary>
    public static string DateLabel(string basis) => basis switch
    {
        Notification => "届出日",
        FamilyRegister => "戸籍届出・通知日",
        Application => "申出日",
        Request => "請求日",
        _ => "通知日",
    };
}
