using SharedResidentSystem.Core.Migration;

namespace SharedResidentSystem.Server.Analytics;

/// <summary>
/// What the EUC source (10.1) holds of the migration layout: the files of the register's data
/// (persons with every version and 除票, 異動, 仮登録, メモ, 抑止, 支援措置, the certificate ledger,
/// 本人通知, 送付先の指定) with their data items as columns; not the system's own records (住民票コード
/// stock, messages to and from other systems, number sequences). Some items are withheld from it
/// whatever the caller's rights, each for a stated reason; an item the city's access table can hide
/// from a person (10.4) is kept in a file of its own, so that a caller who may not see it cannot
/// read it by any question.
/// </summary>
public static class EucData
{
    /// <summary>The register's entities that are in the source (by the layout's entity names).</summary>
    public static readonly IReadOnlySet<string> Entities = new HashSet<string>(StringComparer.Ordinal)
    {
        "PersonVersion", "Idou", "PendingIdou", "MemoVersion", "Suppression", "SuppressionRelease", "SupportMeasure",
        "Issuance", "IssuedCopy", "IssuanceDisposal", "PersonalNoticeRegistration", "PersonalNotice", "DeliveryDesignation",
    };

    /// <summary>Items (by their stored property) never in the source, and why.</summary>
    public static readonly IReadOnlyDictionary<string, string> Withheld = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["PersonVersion.IndividualNumber"] = "番号法 (第9条・第19条) は個人番号の利用と提供を定められた事務に限っており、EUC による抽出・分析はそれにあたらないため",
        ["PersonVersion.AdultWard"] = "成年被後見人であることは抽出の条件にも出力にもしない (9.4#3)",
        ["Issuance.Content"] = "交付した証明書の記載内容には個人番号・住民票コードが含まれうるため (交付の事実は他の項目にある)",
    };

    /// <summary>The table of each person's latest version, while they are a resident.</summary>
    public const string CurrentResidents = "現在の住民";

    /// <summary>The function of the access table a table needs besides EUC's own (支援措置 are read only by those who may inquire into them).</summary>
    public static readonly IReadOnlyDictionary<string, string> TableFunctions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["SupportMeasure"] = Security.Functions.SupportInquiry,
    };

    /// <summary>The table's name in SQL: the migration file's name without its extension ("R01_住民").</summary>
    public static string TableName(LayoutFile file) => Path.GetFileNameWithoutExtension(file.File);

    /// <summary>Whether an item goes into the source (binary items — PDFs, stored requests — are not analysable and stay out).</summary>
    public static bool Included(LayoutFile file, LayoutItem item) => !Withheld.ContainsKey($"{file.Entity}.{item.Source}") && item.Type != "バイナリ";

    /// <summary>The access-table item (10.4) that hides <paramref name="item"/>, or "" for none.</summary>
    public static string HiddenBy(LayoutItem item) =>
        Security.AccessControl.HiddenSources.FirstOrDefault(h => h.Value.Contains(item.Source)).Key ?? "";

    /// <summary>Each withheld item of the layout with why, as the source describes it.</summary>
    public static IEnumerable<string> WithheldItems(MigrationLayout layout) =>
        layout.Files.Where(f => Entities.Contains(f.Entity)).SelectMany(f => f.Items.Where(i => !Included(f, i))
            .Select(i => $"{TableName(f)}.{i.Name}: {(Withheld.TryGetValue($"{f.Entity}.{i.Source}", out var why) ? why : "バイナリの項目 (PDF や保存した要求) は分析の対象にしないため")}"));

    /// <summary>The DuckDB type an item's データ型 becomes.</summary>
    public static string ColumnType(string type) => type switch
    {
        "整数" => "BIGINT",
        "区分" => "INTEGER",
        "日付" => "DATE",
        "日時" => "TIMESTAMP",
        "真偽" => "BOOLEAN",
        _ => "VARCHAR",
    };
}
