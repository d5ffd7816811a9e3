using System.Text.Json;
using Microsoft.EntityFrameworkCore.Metadata;

namespace SharedResidentSystem.Core.Migration;

/// <summary>One data item of a migration file (データ項目一覧表の一行).</summary>
public sealed record LayoutItem(int No, string Name, string Source, string Type, int Digits, bool Gaiji, string? Code = null);

/// <summary>One migration file (移行ファイル) and the stored entity its rows are.</summary>
public sealed record LayoutFile(string Id, string File, string Title, string Entity, IReadOnlyList<LayoutItem> Items);

/// <summary>
/// The migration layout (10.6): the files, each with its data item list, that the exporter
/// writes and the importer reads. It is a data file (config/migration/layout.json, embedded
/// as the default) so that the official 中間標準レイアウト仕様 can replace ours without a code
/// change; <see cref="Check"/> holds it to the storage model, so that nothing the register
/// stores is left out of a migration unnoticed.
/// </summary>
public sealed record MigrationLayout(string Name, string Version, IReadOnlyList<LayoutFile> Files,
    IReadOnlyDictionary<string, string> NotExported, IReadOnlyDictionary<string, string> Derived,
    string CodeListFile, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Codes, string GaijiListFile = "G01_外字一覧.csv")
{
    /// <summary>The item types and the stored types each may carry.</summary>
    public static readonly IReadOnlyDictionary<string, Type[]> Types = new Dictionary<string, Type[]>(StringComparer.Ordinal)
    {
        ["文字"] = [typeof(string)],
        ["数字"] = [typeof(string)],
        ["整数"] = [typeof(int), typeof(long)],
        ["区分"] = [typeof(int)],
        ["日付"] = [typeof(DateOnly)],
        ["日時"] = [typeof(DateTime)],
        ["真偽"] = [typeof(bool)],
        ["識別子"] = [typeof(Guid)],
        ["バイナリ"] = [typeof(byte[])],
    };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Shape(string Name, string Version, List<Shape.FileShape> Files, Dictionary<string, string>? NotExported, Dictionary<string, string>? Derived,
        string? CodeListFile, Dictionary<string, Dictionary<string, string>>? Codes, string? GaijiListFile)
    {
        public sealed record FileShape(string Id, string File, string Title, string Entity, List<LayoutItem> Items);
    }

    public static MigrationLayout Load(Stream json)
    {
        var shape = JsonSerializer.Deserialize<Shape>(json, Json) ?? throw new FormatException("移行レイアウトが空です。");
        return new MigrationLayout(shape.Name, shape.Version,
            shape.Files.Select(f => new LayoutFile(f.Id, f.File, f.Title, f.Entity, f.Items)).ToList(),
            shape.NotExported ?? [], shape.Derived ?? [], shape.CodeListFile ?? "C01_コード表.csv",
            (shape.Codes ?? []).ToDictionary(c => c.Key, c => (IReadOnlyDictionary<string, string>)c.Value, StringComparer.Ordinal),
            shape.GaijiListFile ?? "G01_外字一覧.csv");
    }

    /// <summary>The layout shipped with the system (config/migration/layout.json).</summary>
    public static MigrationLayout Default()
    {
        using var stream = typeof(MigrationLayout).Assembly.GetManifestResourceStream("migration-layout.json")
            ?? throw new InvalidOperationException("The migration layout is not embedded.");
        return Load(stream);
    }

    /// <summary>
    /// What does not fit the storage model, in Japanese: a file whose entity is unknown, an item
    /// whose source is not a stored property or whose type cannot carry it, a stored property no
    /// item carries (nor listed as derived), an entity of a city neither exported nor listed as
    /// not exported, a name or number twice.
    /// </summary>
    public IReadOnlyList<string> Check(IModel model)
    {
        var problems = new List<string>();
        var byName = model.GetEntityTypes().Where(e => !e.IsOwned()).ToDictionary(e => e.ClrType.Name, StringComparer.Ordinal);
        foreach (var duplicate in Files.GroupBy(f => f.File).Where(g => g.Count() > 1))
        {
            problems.Add($"移行ファイル {duplicate.Key} が二度定義されています。");
        }
        foreach (var file in Files)
        {
            if (!byName.TryGetValue(file.Entity, out var entity))
            {
                problems.Add($"{file.File}: 格納されていない実体 {file.Entity} を指しています。");
                continue;
            }
            foreach (var duplicate in file.Items.GroupBy(i => i.Name).Where(g => g.Count() > 1))
            {
                problems.Add($"{file.File}: 項目名 {duplicate.Key} が二度あります。");
            }
            if (!file.Items.Select(i => i.No).SequenceEqual(Enumerable.Range(1, file.Items.Count)))
            {
                problems.Add($"{file.File}: 項目番号は 1 から順に振ってください。");
            }
            var covered = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in file.Items)
            {
                var property = Find(entity, item.Source);
                if (property is null)
                {
                    problems.Add($"{file.File} 項目 {item.No} {item.Name}: {file.Entity}.{item.Source} は格納されている項目ではありません。");
                    continue;
                }
                covered.Add(item.Source);
                var stored = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
                var carried = stored.IsEnum ? typeof(int) : stored;
                if (!Types.TryGetValue(item.Type, out var allowed))
                {
                    problems.Add($"{file.File} 項目 {item.No} {item.Name}: 型 {item.Type} はありません ({string.Join("、", Types.Keys)})。");
                }
                else if (!allowed.Contains(carried))
                {
                    problems.Add($"{file.File} 項目 {item.No} {item.Name}: 型 {item.Type} では {stored.Name} を表せません。");
                }
                CheckCode(file, item, stored, problems);
            }
            foreach (var stored in StoredProperties(entity).Where(p => !covered.Contains(p) && !Derived.ContainsKey($"{file.Entity}.{p}")))
            {
                problems.Add($"{file.File}: 格納されている {file.Entity}.{stored} を表す項目がありません。");
            }
        }
        var exported = Files.Select(f => f.Entity).ToHashSet(StringComparer.Ordinal);
        foreach (var entity in byName.Values.Where(e => typeof(Storage.ITenantOwned).IsAssignableFrom(e.ClrType)))
        {
            if (!exported.Contains(entity.ClrType.Name) && !NotExported.ContainsKey(entity.ClrType.Name))
            {
                problems.Add($"団体のデータ {entity.ClrType.Name} がどの移行ファイルにもなく、出力しない理由も書かれていません。");
            }
        }
        return problems;
    }

    /// <summary>
    /// An item's code list exists, and a 区分 list of a value the register keeps as a closed set
    /// has exactly its codes: a code the register does not know would not import, and a code
    /// the list lacks would not export.
    /// </summary>
    private void CheckCode(LayoutFile file, LayoutItem item, Type stored, List<string> problems)
    {
        if (item.Code is null or MigrationCodes.IdouReasonList or MigrationCodes.IdouCategoryList or MigrationCodes.RelationshipList)
        {
            return;
        }
        if (!Codes.TryGetValue(item.Code, out var codes))
        {
            problems.Add($"{file.File} 項目 {item.No} {item.Name}: コード表「{item.Code}」がありません。");
            return;
        }
        if (stored.IsEnum)
        {
            var values = Enum.GetValues(stored).Cast<object>().Select(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!values.Order(StringComparer.Ordinal).SequenceEqual(codes.Keys.Order(StringComparer.Ordinal)))
            {
                problems.Add($"{file.File} 項目 {item.No} {item.Name}: コード表「{item.Code}」のコード（{string.Join("・", codes.Keys)}）が登録できる値（{string.Join("・", values)}）と違います。");
            }
        }
    }

    /// <summary>"Address.Town": a property of an owned value; "Town": a property of the entity.</summary>
    private static IProperty? Find(IEntityType entity, string source)
    {
        var dot = source.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return entity.FindProperty(source) is { } property && !property.IsShadowProperty() && property.Name != nameof(Storage.ITenantOwned.TenantCode) ? property : null;
        }
        var navigation = entity.FindNavigation(source[..dot]);
        return navigation is { TargetEntityType: var owned } && owned.IsOwned() && owned.FindProperty(source[(dot + 1)..]) is { } inner && !inner.IsShadowProperty() ? inner : null;
    }

    /// <summary>Every stored value of the entity (owned values as "Navigation.Property"), without the city's code.</summary>
    private static IEnumerable<string> StoredProperties(IEntityType entity)
    {
        foreach (var property in entity.GetProperties().Where(p => !p.IsShadowProperty() && p.Name != nameof(Storage.ITenantOwned.TenantCode)))
        {
            yield return property.Name;
        }
        foreach (var navigation in entity.GetNavigations().Where(n => n.TargetEntityType.IsOwned()))
        {
            foreach (var property in navigation.TargetEntityType.GetProperties().Where(p => !p.IsShadowProperty()))
            {
                yield return $"{navigation.Name}.{property.Name}";
            }
        }
    }
}
