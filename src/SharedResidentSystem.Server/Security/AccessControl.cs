using Google.Protobuf;
using Google.Protobuf.Reflection;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Server.Security;

/// <summary>The functions of the access table (10.3), each controlled on its own.</summary>
public static class Functions
{
    public const string Inquiry = "inquiry";
    public const string Idou = "idou";
    public const string Approve = "approve";
    public const string Issue = "issue";
    public const string Suppression = "suppression";
    public const string SupportMeasure = "support-measure";
    public const string SupportInquiry = "support-inquiry";
    public const string ResidentCode = "resident-code";
    public const string Memo = "memo";
    public const string AuditLog = "audit-log";
    public const string Configuration = "configuration";
    public const string Batch = "batch";
    public const string Euc = "euc";

    /// <summary>Every function of the access table; each call's proto policy names the one it belongs to.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Inquiry, Idou, Approve, Issue, Suppression, SupportMeasure, SupportInquiry, ResidentCode, Memo, AuditLog, Configuration, Batch, Euc,
    };
}

/// <summary>
/// Applies the city's access table (10.3-10.4) to a call: whether the staff member (or
/// their 所属) may use the method's function, within their period of use, and which items
/// are hidden from them on every screen. A city without a table leaves it to the roles of
/// the token (which bound every grant: a table cannot give a clerk an auditor's service).
/// </summary>
public sealed class AccessControl(TimeProvider time)
{
    /// <summary>Items hidden from the current caller (10.4), by the names of the access table.</summary>
    public IReadOnlySet<string> HiddenItems { get; private set; } = new HashSet<string>();

    /// <summary>Whether the caller may use <paramref name="function"/> (empty: a call the roles alone decide).</summary>
    public void Check(Caller caller, TenantDefinition tenant, string function)
    {
        if (caller.IsInRole(Roles.LinkedSystem))
        {
            // A system's access table is its entry in linkedSystems (its items): the staff table does not name it.
            if (tenant.LinkedSystems.All(s => s.Id != caller.StaffId))
            {
                throw new DomainException(ErrorKind.PermissionDenied, ErrorReasons.LinkedSystemUnknown,
                    $"連携先システム '{caller.StaffId}' はこの団体の設定 (linkedSystems) にありません。");
            }
            return;
        }
        if (tenant.Access is not { } access)
        {
            return;
        }
        var today = JapanTime.Today(time);
        var user = access.Users.FirstOrDefault(u => u.Id == caller.StaffId);
        var unitId = user is { Unit.Length: > 0 } ? user.Unit : caller.Unit;
        var unit = access.Units.FirstOrDefault(u => u.Id == unitId);
        if (user is null && unit is null)
        {
            throw Refuse("利用者も所属も操作権限一覧に登録されていません。運用者に権限の登録を依頼してください。");
        }
        if (user is not null && (user.From > today || user.Until < today))
        {
            throw Refuse("利用期間外です。");
        }
        var functions = new HashSet<string>(StringComparer.Ordinal);
        var hidden = new HashSet<string>(StringComparer.Ordinal);
        foreach (var grant in new[] { user, unit })
        {
            if (grant is not null)
            {
                functions.UnionWith(grant.Functions);
                hidden.UnionWith(grant.HiddenItems);
            }
        }
        HiddenItems = hidden;
        if (function.Length > 0 && !functions.Contains(function))
        {
            throw Refuse($"この操作 ({function}) の権限がありません。");
        }
    }

    private static bool IsHiddenEntry(IMessage entry, string labelField, IEnumerable<string> hiddenLabels) =>
        entry.Descriptor.FindFieldByName(labelField) is { FieldType: FieldType.String } label
        && entry.Descriptor.Fields.InDeclarationOrder().Count <= 4
        && hiddenLabels.Contains((string)label.Accessor.GetValue(entry));

    private static DomainException Refuse(string message) =>
        new(ErrorKind.PermissionDenied, ErrorReasons.FunctionNotPermitted, message);

    /// <summary>Clears the hidden items from a response, wherever they occur in it.</summary>
    public void Redact(IMessage message)
    {
        if (HiddenItems.Count > 0)
        {
            Redact(message, HiddenItems, HiddenItems.Where(ItemsOf.ContainsKey).Select(h => ItemsOf[h]).ToList(), 0);
        }
    }

    /// <summary>
    /// The stored properties each item of the access table is (the migration layout's sources),
    /// for what reads stored rows rather than answers: the EUC source (10.1) keeps them apart.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> HiddenSources = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["honseki"] = ["Domicile", "DomicileHead"],
        ["individualNumber"] = ["IndividualNumber"],
        ["residentCode"] = ["ResidentCode"],
        ["residenceStatus"] = ["ResidenceStatus", "PeriodOfStay", "StayExpiresOn", "ResidenceCardNumber"],
    };

    /// <summary>Whether the caller may use <paramref name="function"/> besides the call's own (the same test as <see cref="Check"/>, answered).</summary>
    public bool May(Caller caller, TenantDefinition tenant, string function)
    {
        try
        {
            Check(caller, tenant, function);
            return true;
        }
        catch (DomainException)
        {
            return false;
        }
    }

    /// <summary>
    /// Where each item of the access table shows in an answer: as proto fields (a Domicile
    /// message for 本籍), as the item of a 異動履歴 change, as the key of a certificate's field;
    /// and what a request may not ask by it (search criteria, 未入力項目 of a search, certificate items).
    /// </summary>
    private sealed record HiddenItem(string[] Fields, string[] HistoryItems, string[] CertificateKeys, Contracts.Certificates.V1.CertificateItem[] CertificateItems, string[] SearchFields,
        string[] MissingItems);

    private static readonly Dictionary<string, HiddenItem> ItemsOf = new(StringComparer.Ordinal)
    {
        ["honseki"] = new([], ["本籍", "筆頭者"], ["domicile", "domicile_head"], [Contracts.Certificates.V1.CertificateItem.Domicile], [], ["domicile"]),
        ["individualNumber"] = new(["individual_number"], ["個人番号"], ["individual_number"], [Contracts.Certificates.V1.CertificateItem.IndividualNumber], ["individual_number"], ["individual_number"]),
        ["residentCode"] = new(["resident_code"], ["住民票コード"], ["resident_code"], [Contracts.Certificates.V1.CertificateItem.ResidentCode], ["resident_code"], ["resident_code"]),
        ["residenceStatus"] = new(["residence_status", "period_of_stay", "stay_expires_on", "residence_card_number"],
            ["在留資格", "在留期間", "在留期間の満了の日", "在留カード等の番号"], ["residence_status", "period_of_stay", "stay_expires_on", "residence_card_number"],
            [Contracts.Certificates.V1.CertificateItem.ForeignItems], ["residence_card_number"], []),
    };

    /// <summary>
    /// 10.4: a request may not reach a hidden item another way: no search by it or by its being
    /// empty, no certificate
    /// printing it (the PDF would show it). Refused with ITEM_HIDDEN naming the field.
    /// </summary>
    public void CheckRequest(IMessage request)
    {
        if (HiddenItems.Count == 0)
        {
            return;
        }
        var items = HiddenItems.Where(ItemsOf.ContainsKey).Select(h => ItemsOf[h]).ToList();
        if (request is Contracts.Residents.V1.SearchResidentsRequest search)
        {
            foreach (var field in items.SelectMany(i => i.SearchFields))
            {
                if (Contracts.Residents.V1.SearchResidentsRequest.Descriptor.FindFieldByName(field)?.Accessor.GetValue(search) is string { Length: > 0 })
                {
                    throw Hidden(field, "この項目はあなたの権限では表示されないため、検索に使えません。");
                }
            }
            // 未入力項目の検索 would tell whether the hidden item is recorded.
            for (var i = 0; i < search.MissingItems.Count; i++)
            {
                if (items.Any(h => h.MissingItems.Contains(search.MissingItems[i])))
                {
                    throw Hidden($"missing_items[{i}]", "この項目はあなたの権限では表示されないため、未入力かどうかも検索できません。");
                }
            }
        }
        if (request is Contracts.Certificates.V1.IssueCertificateRequest certificate && certificate.Items.Any(i => items.Any(h => h.CertificateItems.Contains(i))))
        {
            throw Hidden("items", "あなたの権限では表示されない事項を記載した証明書は交付できません。");
        }
    }

    private static DomainException Hidden(string field, string message) =>
        new(ErrorKind.PermissionDenied, ErrorReasons.ItemHidden, message, [new FieldViolation(field, message)]);

    private static void Redact(IMessage message, IReadOnlySet<string> hidden, IReadOnlyList<HiddenItem> items, int depth)
    {
        if (depth > 16)
        {
            return;
        }
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var isDomicile = field.FieldType == FieldType.Message && field.MessageType.Name == "Domicile";
            if ((isDomicile && hidden.Contains("honseki")) || items.Any(i => i.Fields.Contains(field.Name)))
            {
                field.Accessor.Clear(message);
                continue;
            }
            if (field.FieldType != FieldType.Message || field.IsMap)
            {
                continue;
            }
            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                var list = (System.Collections.IList)value;
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    if (list[i] is not IMessage child)
                    {
                        continue;
                    }
                    // A 異動履歴 change of a hidden item, or a certificate field holding one, goes whole.
                    if (IsHiddenEntry(child, "item", items.SelectMany(h => h.HistoryItems)) || IsHiddenEntry(child, "key", items.SelectMany(h => h.CertificateKeys)))
                    {
                        list.RemoveAt(i);
                        continue;
                    }
                    Redact(child, hidden, items, depth + 1);
                }
            }
            else if (value is IMessage child)
            {
                Redact(child, hidden, items, depth + 1);
            }
        }
    }
}
