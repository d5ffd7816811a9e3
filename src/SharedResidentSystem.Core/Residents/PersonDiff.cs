using System.Globalization;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Residents;

/// <summary>What a 異動 changed for one person, item by item, for 異動履歴照会 (2.2.1).</summary>
public static class PersonDiff
{
    private static readonly (string Item, Func<PersonVersion, string> Value)[] Items =
    [
        ("氏名", p => $"{p.FamilyName} {p.GivenName}".Trim()),
        ("氏名の振り仮名", p => $"{p.FamilyKana} {p.GivenKana}".Trim()),
        ("氏名（アルファベット）", p => p.AlphabetName),
        ("氏名のフリガナ確認", p => p.FamilyKana.Length + p.GivenKana.Length == 0 ? "" : p.KanaConfirmed ? "確認済" : "未確認"),
        ("旧氏", p => p.OldSurname),
        ("旧氏の振り仮名", p => p.OldSurnameKana),
        ("旧氏のフリガナ確認", p => p.OldSurnameKana.Length == 0 ? "" : p.OldSurnameKanaConfirmed ? "確認済" : "未確認"),
        ("通称", p => p.CommonName),
        ("通称の振り仮名", p => p.CommonNameKana),
        ("通称のフリガナ確認", p => p.CommonNameKana.Length == 0 ? "" : p.CommonNameKanaConfirmed ? "確認済" : "未確認"),
        ("生年月日", p => $"{p.BirthYear:D4}-{p.BirthMonth:D2}-{p.BirthDay:D2}"),
        ("性別", p => p.Sex switch { 1 => "男", 2 => "女", _ => "" }),
        ("世帯番号", p => p.HouseholdNumber),
        ("続柄", p => p.Relationship),
        ("住所", p => PersonMapping.Describe(p.Address)),
        ("住所を定めた年月日", p => Date(p.AddressSetOn)),
        ("本籍", p => p.Domicile),
        ("筆頭者", p => p.DomicileHead),
        // The number itself never goes into the history summary; only that it changed.
        ("個人番号", p => p.IndividualNumber.Length == 0 ? "" : "記載あり#" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(p.IndividualNumber)))[..6]),
        ("住民票コード", p => p.ResidentCode),
        ("選挙人名簿への登録", p => p.OnElectoralRoll ? "有" : "無"),
        ("国民健康保険", p => Coverage(p.NationalHealthInsurance, p.NationalHealthInsuranceFrom, p.NationalHealthInsuranceUntil)),
        ("後期高齢者医療", p => Coverage(p.LateElderlyMedical, p.LateElderlyMedicalFrom, p.LateElderlyMedicalUntil)),
        ("介護保険", p => Coverage(p.LongTermCare, p.LongTermCareFrom, p.LongTermCareUntil)),
        ("国民年金", p => p.NationalPension
            ? $"{Coverage(true, p.NationalPensionFrom, p.NationalPensionUntil)} 基礎年金番号 {p.BasicPensionNumber} 種別 {p.NationalPensionKind} (種別変更 {Date(p.NationalPensionKindChangedOn)})"
            : "無"),
        ("児童手当", p => p.ChildAllowanceFrom.Length + p.ChildAllowanceUntil.Length == 0 ? "" : $"{p.ChildAllowanceFrom}〜{p.ChildAllowanceUntil}"),
        ("個人番号カード等の保有", p => p.CardHeld ? "有" : "無"),
        ("成年被後見人", p => p.AdultWard ? "該当" : ""),
        ("改製年月日", p => Date(p.RemadeOn)),
        ("国籍・地域", p => p.Nationality),
        ("在留資格", p => p.ResidenceStatus),
        ("在留期間の満了の日", p => Date(p.StayExpiresOn)),
        ("旧外登法による登録年月日", p => Date(p.FormerAlienRegistrationOn)),
        ("状態", p => p.State == ResidentState.Active ? "住民" : "除票"),
        ("消除事由", p => p.RemovalReason),
        ("消除の年月日", p => Date(p.RemovalOn)),
        ("転出先", p => PersonMapping.Describe(p.Destination)),
        ("特例転出", p => p.SpecialMoveOut ? "有" : ""),
        ("転入通知日", p => Date(p.MoveInNoticeOn)),
        ("転出年月日（確定）", p => Date(p.MoveOutConfirmedOn)),
        ("転出先（確定）", p => PersonMapping.Describe(p.ConfirmedDestination)),
    ];

    public static IEnumerable<ChangeSummary> Changes(PersonVersion? before, PersonVersion after)
    {
        foreach (var (item, value) in Items)
        {
            var old = before is null ? "" : value(before);
            var now = value(after);
            if (old != now)
            {
                yield return new ChangeSummary(after.ResidentNumber, item, before is null ? null : old, now);
            }
        }
    }

    /// <summary>該当の有無 with 資格取得・喪失年月日.</summary>
    private static string Coverage(bool covered, DateOnly? from, DateOnly? until) =>
        covered ? $"有 (取得 {Date(from)}{(until is null ? "" : $" 喪失 {Date(until)}")})" : until is null ? "無" : $"無 (喪失 {Date(until)})";

    private static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
