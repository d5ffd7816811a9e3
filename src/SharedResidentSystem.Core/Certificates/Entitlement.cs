using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;

namespace SharedResidentSystem.Core.Certificates;

/// <summary>
/// Who may obtain what (住民基本台帳法 12条, 12条の2, 12条の3, 15条の4; DESIGN §2). The server
/// decides: a request that asks for more than its category allows is refused with the reason
/// and the item at fault, and nothing is printed.
///
/// - 本人・同一世帯員 and 代理人 (with 委任状): every item they ask for.
/// - 公用: what the stated duty needs; 個人番号 and 住民票コード only with the law that allows
///   that use, and never from a 除票.
/// - 第三者 and 特定事務受任者: the 基礎証明事項 (氏名, 生年月日, 性別, 住所); other items
///   only with the stated purpose that needs them; never 個人番号 or 住民票コード; from a 除票
///   the 除票基礎証明事項 only.
/// </summary>
public static class Entitlement
{
    public static readonly IReadOnlyList<string> SpecifiedProfessions = ["弁護士", "司法書士", "土地家屋調査士", "税理士", "社会保険労務士", "弁理士", "海事代理士", "行政書士"];

    private static readonly CertificateItem[] Numbers = [CertificateItem.ResidentCode, CertificateItem.IndividualNumber];

    /// <summary>The optional items that will be printed; throws when the request goes beyond entitlement.</summary>
    public static IReadOnlySet<CertificateItem> Decide(CertificateRequest request)
    {
        CheckRequester(request.Requester);
        var requester = request.Requester;
        var removed = request.Kind is CertificateKind.RemovedResidentCopy or CertificateKind.RemovedItemCertificate;
        var isCopy = request.Kind is CertificateKind.ResidentCopy or CertificateKind.RemovedResidentCopy;
        var items = new HashSet<CertificateItem>(request.Items);

        if (request.Kind == CertificateKind.MoveOutCertificate)
        {
            if (requester.Category is not (RequesterCategory.SelfOrHousehold or RequesterCategory.Agent))
            {
                throw Refuse("requester.category", "転出証明書は本人・同一世帯員又はその代理人にだけ交付できます。");
            }
            // The 転出証明書 has a fixed content (令23条): everything the city moved to needs.
            return new HashSet<CertificateItem> { CertificateItem.HeadAndRelationship, CertificateItem.Domicile, CertificateItem.ResidentCode, CertificateItem.IndividualNumber, CertificateItem.ForeignItems, CertificateItem.Dates, CertificateItem.OtherNames };
        }

        switch (requester.Category)
        {
            case RequesterCategory.SelfOrHousehold:
            case RequesterCategory.Agent:
                break;
            case RequesterCategory.Official:
                foreach (var number in Numbers.Where(items.Contains))
                {
                    if (removed)
                    {
                        throw Refuse("items", $"国・地方公共団体の機関の請求でも、除票の{Label(number)}は記載できません (法15条の4)。");
                    }
                    if (string.IsNullOrWhiteSpace(requester.LegalBasis))
                    {
                        throw Refuse("requester.legal_basis", $"{Label(number)}の記載には、その利用を認める法令の根拠が必要です。");
                    }
                }
                break;
            case RequesterCategory.ThirdParty:
            case RequesterCategory.SpecifiedProfessional:
                foreach (var number in Numbers.Where(items.Contains))
                {
                    throw Refuse("items", $"第三者・特定事務受任者の請求には{Label(number)}を記載できません (法12条の3)。");
                }
                if (removed && items.Count > 0)
                {
                    throw Refuse("items", $"第三者・特定事務受任者には除票基礎証明事項 (氏名・生年月日・性別・住所・消除の事由と年月日) のほか、{string.Join("・", items.Select(Label))}は交付できません (法15条の4)。");
                }
                break;
        }

        // A 写し for those who may see the whole record carries the dates and other names as a
        // matter of course; for a third party only what was asked for with its purpose.
        if (isCopy && requester.Category is RequesterCategory.SelfOrHousehold or RequesterCategory.Agent or RequesterCategory.Official)
        {
            items.Add(CertificateItem.Dates);
            items.Add(CertificateItem.OtherNames);
        }
        return items;
    }

    private static void CheckRequester(RequesterInfo r)
    {
        var v = new Violations();
        v.Required("requester.name", r.Name, "請求者の氏名");
        if (r.Category != RequesterCategory.Official)
        {
            v.Required("requester.identity_check", r.IdentityCheck, "本人確認の方法");
        }
        switch (r.Category)
        {
            case RequesterCategory.SelfOrHousehold:
                v.Required("requester.resident", r.ResidentNumber, "請求者 (本人・同一世帯員) の住民");
                break;
            case RequesterCategory.Agent:
                if (!r.PowerOfAttorney)
                {
                    v.Add("requester.power_of_attorney", "代理人の請求には委任状が必要です。");
                }
                v.Required("requester.principal_name", r.PrincipalName, "委任者の氏名");
                break;
            case RequesterCategory.ThirdParty:
                if (r.Purpose == ThirdPartyPurpose.Unspecified)
                {
                    v.Add("requester.purpose", "請求事由 (自己の権利行使・義務履行 / 国等への提出 / その他正当な理由) を選んでください。");
                }
                v.Required("requester.purpose_detail", r.PurposeDetail, "請求事由の具体的な内容");
                break;
            case RequesterCategory.SpecifiedProfessional:
                if (!SpecifiedProfessions.Contains(r.Qualification))
                {
                    v.Add("requester.qualification", $"特定事務受任者の資格を選んでください ({string.Join("・", SpecifiedProfessions)})。");
                }
                v.Required("requester.registration_number", r.RegistrationNumber, "登録番号");
                v.Required("requester.purpose_detail", r.PurposeDetail, "受任している事件又は事務");
                break;
            case RequesterCategory.Official:
                v.Required("requester.agency", r.Agency, "請求機関");
                v.Required("requester.purpose_detail", r.PurposeDetail, "請求事由 (事務の内容)");
                break;
            default:
                v.Add("requester.category", "請求者の区分を選んでください。");
                break;
        }
        v.ThrowIfAny();
    }

    public static string Label(CertificateItem item) => item switch
    {
        CertificateItem.HeadAndRelationship => "世帯主・続柄",
        CertificateItem.Domicile => "本籍・筆頭者",
        CertificateItem.ResidentCode => "住民票コード",
        CertificateItem.IndividualNumber => "個人番号",
        CertificateItem.ForeignItems => "国籍・地域等",
        CertificateItem.Dates => "住民となった年月日等",
        _ => "旧氏・通称",
    };

    private static DomainException Refuse(string field, string message) =>
        new(ErrorKind.PermissionDenied, ErrorReasons.EntitlementExceeded, message, [new FieldViolation(field, message)]);
}
