namespace SharedResidentSystem.Core.Tenancy;

/// <summary>A configuration is wrong; every line names the file (or document) and the path.</summary>
public sealed class TenantConfigurationException(IReadOnlyList<string> problems)
    : Exception("団体設定に誤りがあります:\n" + string.Join('\n', problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>A configuration document found in the seed directory.</summary>
public sealed record SeedDocument(string SourceFile, TenantDefinition Definition);

/// <summary>
/// Reads the seed documents of config/tenants/{code}.json: the first version of a city that
/// the database does not know yet. Every problem of every file is reported at once, each as
/// "file: $.path: code: message".
/// </summary>
public static class TenantCatalog
{
    public static IReadOnlyList<SeedDocument> LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new TenantConfigurationException([$"{directory}: 団体設定のフォルダがありません。"]);
        }
        var problems = new List<string>();
        var seeds = new List<SeedDocument>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var result = TenantConfigDocument.Read(File.ReadAllText(file));
            problems.AddRange(result.Problems.Select(p => $"{file}: {p}"));
            if (result.Definition is { } definition)
            {
                var stem = Path.GetFileNameWithoutExtension(file);
                if (stem != definition.Code)
                {
                    problems.Add($"{file}: $.code: file-name: ファイル名 '{stem}' と団体コード '{definition.Code}' が一致しません。");
                }
                seeds.Add(new SeedDocument(file, definition));
            }
        }
        if (seeds.Count == 0 && problems.Count == 0)
        {
            problems.Add($"{directory}: 団体設定ファイル (*.json) が一つもありません。");
        }
        return problems.Count > 0 ? throw new TenantConfigurationException(problems) : seeds;
    }
}
