using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using SharedResidentSystem.Core.Analytics;
using SharedResidentSystem.Core.Errors;

namespace SharedResidentSystem.Server.Analytics;

/// <summary>EUC's limits (appsettings "Euc").</summary>
public sealed class EucOptions
{
    public const string Section = "Euc";

    /// <summary>A question running longer is stopped (EUC_QUERY_TOO_LARGE).</summary>
    public int TimeoutSeconds { get; set; } = 300;

    /// <summary>The engine's memory for one extraction (DuckDB's memory_limit); beyond it the question is refused.</summary>
    public string MemoryLimit { get; set; } = "1GB";

    /// <summary>The engine's threads for one extraction: 1 leaves the other cores to the counter (10.1#11).</summary>
    public int Threads { get; set; } = 1;

    /// <summary>How long an extraction waits, before its question and between pages of its answer, for a quiet moment of the counter (10.1#11).</summary>
    public int YieldMilliseconds { get; set; } = 2000;

    /// <summary>The most rows a list or label PDF is made of (a larger answer goes out as CSV or XML).</summary>
    public int MaxPdfRows { get; set; } = 20_000;
}

/// <summary>
/// One extraction's engine: an in-memory DuckDB whose tables are views over the city's newest
/// copy, made of the files the caller may read and no others (the hidden items' files and other
/// cities' copies are not named in allowed_paths); then every access to files is switched off and
/// the configuration locked, so no question can reach a file, another city, or a setting.
/// </summary>
public sealed class EucSession : IDisposable
{
    /// <summary>The answer of a question, held in the engine until it is read out.</summary>
    public sealed record Answer(IReadOnlyList<string> Columns, long Rows, IReadOnlyList<string> Persons);

    private const string AnswerTable = "抽出結果";
    private readonly DuckDBConnection _connection;
    private readonly EucOptions _options;

    public EucSnapshots.Snapshot Snapshot { get; }

    /// <summary>The tables as the caller sees them (and the wizard offers them).</summary>
    public IReadOnlyList<EucTableShape> Tables { get; }

    /// <summary>The names a column holding a 宛名番号 has in the source.</summary>
    private readonly IReadOnlySet<string> _personKeys;

    /// <summary>The table of every person's versions and its 宛名番号 column, where the caller may read it.</summary>
    private readonly (string Table, string Key)? _register;

    private EucSession(DuckDBConnection connection, EucOptions options, EucSnapshots.Snapshot snapshot, IReadOnlyList<EucTableShape> tables, (string, string)? register)
    {
        (_connection, _options, Snapshot, Tables, _register) = (connection, options, snapshot, tables, register);
        _personKeys = tables.Select(t => t.PersonKey).OfType<string>().ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The tables of a copy a caller sees, each with the items they may see: <paramref name="hidden"/>
    /// the access-table items hidden from them (their files are left out), <paramref name="mayRead"/>
    /// whether they may read a table of an entity (支援措置 need support-inquiry).
    /// </summary>
    private static IEnumerable<(EucSnapshots.Table Table, List<EucSnapshots.Item> Items)> Visible(EucSnapshots.Snapshot snapshot, IReadOnlySet<string> hidden, Func<string, bool> mayRead) =>
        snapshot.Manifest.Tables.Where(t => mayRead(t.Entity)).Select(t => (t, t.Items.Where(i => !hidden.Contains(i.Part)).ToList()));

    /// <summary>Whether a table of the copy is the register's, of which 現在の住民 is each person's latest version.</summary>
    private static bool HasCurrentResidents(EucSnapshots.Table table) => table is { Entity: "PersonVersion", PersonKey: not null, HistoryKey: not null, StateKey: not null };

    /// <summary>The tables as the caller sees them (what the wizard offers), without opening the engine.</summary>
    public static IReadOnlyList<EucTableShape> Shapes(EucSnapshots.Snapshot snapshot, IReadOnlySet<string> hidden, Func<string, bool> mayRead)
    {
        var shapes = new List<EucTableShape>();
        foreach (var (table, items) in Visible(snapshot, hidden, mayRead))
        {
            shapes.Add(new EucTableShape(table.Name, [.. items.Select(i => new EucColumn(i.Name, i.Type))], table.PersonKey));
            if (HasCurrentResidents(table))
            {
                shapes.Add(shapes[^1] with { Name = EucData.CurrentResidents });
            }
        }
        return shapes;
    }

    /// <summary>Opens the copy for a caller (<see cref="Shapes"/> says what they see).</summary>
    public static EucSession Open(EucSnapshots.Snapshot snapshot, IReadOnlySet<string> hidden, Func<string, bool> mayRead, EucOptions options)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        try
        {
            var allowed = new List<string>();
            (string, string)? register = null;
            foreach (var (table, items) in Visible(snapshot, hidden, mayRead))
            {
                var parts = items.Select(i => i.Part).Distinct().ToList();
                var files = parts.Select(p => Path.Combine(snapshot.Folder, table.File(p))).ToList();
                allowed.AddRange(files);
                // The parts of a table were written row for row in one order: joined by position.
                var from = string.Join(" POSITIONAL JOIN ", files.Select((f, i) => $"read_parquet({EucSnapshots.Literal(f)}) AS p{i}"));
                EucSnapshots.Execute(connection, $"CREATE VIEW {WizardSql.Quote(table.Name)} AS SELECT {string.Join(", ", items.Select(i => WizardSql.Quote(i.Name)))} FROM {from}");
                if (table is { Entity: "PersonVersion", PersonKey: { } key })
                {
                    register = (table.Name, key);
                }
                if (HasCurrentResidents(table))
                {
                    EucSnapshots.Execute(connection, $"CREATE VIEW {WizardSql.Quote(EucData.CurrentResidents)} AS SELECT * FROM (SELECT * FROM {WizardSql.Quote(table.Name)} " +
                        $"QUALIFY row_number() OVER (PARTITION BY {WizardSql.Quote(table.PersonKey!)} ORDER BY {WizardSql.Quote(table.HistoryKey!)} DESC) = 1) " +
                        $"WHERE {WizardSql.Quote(table.StateKey!)} = {(int)Core.Storage.ResidentState.Active}");
                }
            }
            EucSnapshots.Execute(connection, $"SET threads = {Math.Max(1, options.Threads)}");
            EucSnapshots.Execute(connection, $"SET memory_limit = {EucSnapshots.Literal(options.MemoryLimit)}");
            EucSnapshots.Execute(connection, $"SET allowed_paths = [{string.Join(", ", allowed.Select(EucSnapshots.Literal))}]");
            EucSnapshots.Execute(connection, "SET enable_external_access = false");
            EucSnapshots.Execute(connection, "SET lock_configuration = true");
            return new EucSession(connection, options, snapshot, Shapes(snapshot, hidden, mayRead), register);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs one SELECT (refused otherwise, naming <paramref name="field"/>) into the answer held
    /// here: its columns, its rows and the distinct persons of its 宛名番号 column, if it has one.
    /// </summary>
    public Answer Run(string sql, string field, CancellationToken cancellationToken)
    {
        using (var check = _connection.CreateCommand())
        {
            check.CommandText = "SELECT json_serialize_sql(CAST($1 AS VARCHAR))";
            check.Parameters.Add(new DuckDBParameter(sql));
            using var parsed = JsonDocument.Parse((string)check.ExecuteScalar()!);
            if (parsed.RootElement.GetProperty("error").GetBoolean())
            {
                var why = parsed.RootElement.TryGetProperty("error_message", out var m) ? m.GetString() : "";
                throw DomainException.Invalid(ErrorReasons.EucQueryInvalid, field,
                    why?.Contains("Only SELECT", StringComparison.Ordinal) == true ? "EUC で実行できるのは SELECT 文だけです (データソースは読み取り専用です)。" : $"SQL を読み取れません: {why}");
            }
            if (parsed.RootElement.GetProperty("statements").GetArrayLength() != 1)
            {
                throw DomainException.Invalid(ErrorReasons.EucQueryInvalid, field, "SELECT 文を一つだけ書いてください。");
            }
        }
        Execute($"CREATE TEMP TABLE {WizardSql.Quote(AnswerTable)} AS {sql.Trim().TrimEnd(';')}", field, cancellationToken);
        var columns = new List<string>();
        var types = new List<Type>();
        using (var shape = _connection.CreateCommand())
        {
            shape.CommandText = $"SELECT * FROM {WizardSql.Quote(AnswerTable)} LIMIT 0";
            using var reader = shape.ExecuteReader();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                columns.Add(reader.GetName(i));
                types.Add(reader.GetFieldType(i));
            }
        }
        long rows;
        using (var count = _connection.CreateCommand())
        {
            count.CommandText = $"SELECT count(*) FROM {WizardSql.Quote(AnswerTable)}";
            rows = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        // The persons the answer gives: the values of its 宛名番号 column; an answer that renamed it
        // (宛名番号 AS 番号) is recognised by value — any text column whose values are the source's
        // 宛名番号. (A number changed beyond recognition is not; the entry still holds the question.)
        var byName = columns.Where(_personKeys.Contains).Take(1).ToList();
        var candidates = byName.Count > 0 || _register is null ? byName : columns.Where((_, i) => types[i] == typeof(string)).ToList();
        var persons = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var column in candidates)
        {
            using var distinct = _connection.CreateCommand();
            var name = WizardSql.Quote(column);
            distinct.CommandText = $"SELECT DISTINCT CAST({name} AS VARCHAR) FROM {WizardSql.Quote(AnswerTable)} WHERE {name} IS NOT NULL" +
                (byName.Count > 0 ? "" : $" AND CAST({name} AS VARCHAR) IN (SELECT {WizardSql.Quote(_register!.Value.Key)} FROM {WizardSql.Quote(_register.Value.Table)})");
            using var reader = distinct.ExecuteReader();
            while (reader.Read())
            {
                persons.Add(reader.GetString(0));
            }
        }
        return new Answer(columns, rows, [.. persons]);
    }

    /// <summary>The answer's rows in order, each value as text (empty for none).</summary>
    public IEnumerable<string[]> Rows(long limit = long.MaxValue)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {WizardSql.Quote(AnswerTable)}" + (limit < long.MaxValue ? $" LIMIT {limit}" : "");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? "" : Text(reader.GetValue(i));
            }
            yield return row;
        }
    }

    /// <summary>A value as people read it: dates yyyy-MM-dd, times to the second, true/false as 1/0, numbers invariant.</summary>
    public static string Text(object value) => value switch
    {
        string text => text,
        bool flag => flag ? "1" : "0",
        DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime at => at.TimeOfDay == TimeSpan.Zero ? at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private void Execute(string sql, string field, CancellationToken cancellationToken)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        using var stop = timeout.Token.Register(command.Cancel);
        try
        {
            command.ExecuteNonQuery();
        }
        catch (DuckDBException failure) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.EucQueryTooLarge,
                $"{_options.TimeoutSeconds} 秒で終わらないため止めました。条件を絞るか、集計してください。", [new FieldViolation(field, failure.Message.Split('\n')[0])]);
        }
        catch (DuckDBException failure) when (failure.Message.Contains("Out of Memory", StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.EucQueryTooLarge,
                $"抽出に使えるメモリ ({_options.MemoryLimit}) を超えました。条件を絞るか、項目を減らしてください。", [new FieldViolation(field, failure.Message.Split('\n')[0])]);
        }
        catch (DuckDBException failure)
        {
            throw DomainException.Invalid(ErrorReasons.EucQueryInvalid, field, $"SQL を実行できません: {failure.Message.Split('\n')[0]}");
        }
    }

    public void Dispose() => _connection.Dispose();
}
