using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SharedResidentSystem.Client;

/// <summary>
/// Turns the proto path of a field violation ("members[1].person_name.family_kana") into what a
/// clerk reads on the screen ("世帯員2 氏名 氏（カナ）"), so an error names the item it is about (11.1).
/// </summary>
public static partial class FieldLabels
{
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["request_id"] = "受付番号 (request_id)",
        ["move_date"] = "異動日",
        ["change_date"] = "異動日",
        ["entry_date"] = "異動日",
        ["removal_date"] = "異動日",
        ["amendment_date"] = "異動日",
        ["correction_date"] = "異動日",
        ["planned_date"] = "転出予定日",
        ["death_date"] = "死亡日",
        ["notification_date"] = "届出日",
        ["notice_date"] = "通知日",
        ["confirmed_on"] = "転出日（確定）",
        ["notifier"] = "届出人",
        ["relation"] = "届出人との関係",
        ["address"] = "住所",
        ["previous_address"] = "従前の住所",
        ["destination"] = "転出先",
        ["confirmed_destination"] = "転出先（確定）",
        ["members"] = "世帯員",
        ["child"] = "子",
        ["person_name"] = "氏名",
        ["family"] = "氏",
        ["given"] = "名",
        ["family_kana"] = "氏（カナ）",
        ["given_kana"] = "名（カナ）",
        ["birth_date"] = "生年月日",
        ["sex"] = "性別",
        ["relationship"] = "続柄",
        ["relationships"] = "続柄",
        ["kind"] = "種別",
        ["reason"] = "事由",
        ["individual_number"] = "個人番号",
        ["resident_code"] = "住民票コード",
        ["prefecture"] = "都道府県",
        ["city"] = "市区町村",
        ["town"] = "町字",
        ["chome"] = "丁目",
        ["banchi"] = "番地",
        ["katagaki"] = "方書",
        ["postal_code"] = "郵便番号",
        ["free_text"] = "住所（文字）",
        ["country"] = "国名等",
        ["join_household"] = "加わる世帯",
        ["household"] = "世帯",
        ["placement"] = "移動先の世帯",
        ["new_head"] = "新しい世帯主",
        ["residents"] = "住民",
        ["resident"] = "住民",
        ["etag"] = "版 (etag)",
        ["domicile"] = "本籍",
        ["head_name"] = "筆頭者",
        ["old_surname"] = "旧氏",
        ["common_name"] = "通称",
        ["foreign"] = "外国人住民の事項",
        ["nationality"] = "国籍・地域",
        ["residence_status"] = "在留資格",
        ["period_of_stay"] = "在留期間",
        ["stay_expires_on"] = "在留期間の満了日",
        ["residence_card_number"] = "在留カード等の番号",
        ["returning_resident"] = "再転入の除票",
        ["note"] = "職権記録書の記載事項",
        ["idou"] = "異動",
        ["acknowledged_alerts"] = "確認済みのアラート",
        ["requester"] = "請求者",
        ["category"] = "請求者の区分",
        ["identity_check"] = "本人確認",
        ["purpose"] = "請求事由",
        ["purpose_detail"] = "請求事由の詳細",
        ["power_of_attorney"] = "委任状",
        ["principal_name"] = "委任者",
        ["agency"] = "請求機関",
        ["legal_basis"] = "法令の根拠",
        ["qualification"] = "資格",
        ["registration_number"] = "登録番号",
        ["items"] = "記載事項",
        ["layout"] = "様式",
        ["copies"] = "部数",
        ["printer"] = "プリンタ",
        ["furigana"] = "フリガナ",
        ["official_use"] = "公用",
        ["reissue"] = "再交付",
        ["name_query"] = "氏名",
        ["name"] = "名前",
        ["year"] = "年",
        ["month"] = "月",
        ["day"] = "日",
        // The jobs' parameters (9.x) and the indicators' months.
        ["suppression_list"] = "抑止対象者一覧",
        ["include_lifted"] = "解除済みを含める",
        ["annual_report"] = "年報",
        ["as_of"] = "基準日",
        ["from"] = "期間の始め",
        ["to"] = "期間の終わり",
        ["random_extraction"] = "無作為抽出",
        ["count"] = "人数",
        ["seed"] = "乱数の種",
        ["stratify_by"] = "層別",
        ["born_from"] = "生年月日（から）",
        ["born_to"] = "生年月日（まで）",
        ["districts"] = "地区",
        ["towns"] = "町字",
        ["resident_kind"] = "住民の種別",
        ["order"] = "並び順",
        ["from_month"] = "始まりの月",
        ["to_month"] = "終わりの月",
    };

    /// <summary>The clerk's label of a proto path; unknown parts are kept as they are.</summary>
    public static string Describe(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return "";
        }
        // 本籍 and 筆頭者 are one item each on the screen, not parts of an address.
        // A person's "name" (届出人, 請求者) is their 氏名; elsewhere "name" is a resource name.
        path = path.Replace("domicile.address", "domicile", StringComparison.Ordinal).Replace("domicile.head_name", "head_name", StringComparison.Ordinal)
            .Replace("requester.name", "requester.person_name", StringComparison.Ordinal).Replace("notifier.name", "notifier.person_name", StringComparison.Ordinal);
        var parts = new List<string>();
        foreach (Match m in Segment().Matches(path))
        {
            var name = m.Groups["name"].Value;
            var label = Labels.GetValueOrDefault(name, name);
            if (m.Groups["index"].Success)
            {
                var index = m.Groups["index"].Value;
                label += int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? (i + 1).ToString(CultureInfo.InvariantCulture) : $"[{index}]";
            }
            parts.Add(label);
        }
        var text = new StringBuilder();
        foreach (var p in parts)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }
            text.Append(p);
        }
        return text.ToString();
    }

    [GeneratedRegex(@"(?<name>[a-z_][a-z0-9_]*)(?:\[(?<index>[^\]]*)\])?", RegexOptions.IgnoreCase)]
    private static partial Regex Segment();
}
