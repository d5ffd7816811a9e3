using System.Globalization;
using System.Xml;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Contracts.Analytics.V1;
using SharedResidentSystem.Core.Analytics;
using SharedResidentSystem.Core.Certificates;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Migration;
using SharedResidentSystem.Core.Protection;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Japanese;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;
using SharedResidentSystem.Server.Security;

namespace SharedResidentSystem.Server.Analytics;

/// <summary>
/// EUC (10.1) for the city's supervisors: the source as they may see it, and extractions from
/// the newest copy — SQL or the wizard's choices — as rows for the screen or as CSV, XML, a list
/// PDF or a label PDF. The answer is made whole in the engine first, so that the access-log entry
/// names every person in it (and says what was asked and why) before anything leaves.
/// </summary>
public sealed class EucGrpcService(CallerContext callers, TenantDirectory tenants, AccessControl access, EucSnapshots snapshots, IOptions<EucOptions> options,
    MigrationLayout layout, SrsDbContext db, ICertificateRenderer renderer, CallRecord record, Jobs.CounterLoad counter, TimeProvider time) : EucService.EucServiceBase
{
    public const int DefaultDisplayRows = 100;
    public const int MaxDisplayRows = 1000;
    private const int ChunkBytes = 64 * 1024;

    /// <summary>Rows written between two looks at the counter.</summary>
    private const int RowsBetweenYields = 1000;

    public override Task<EucSource> DescribeSource(DescribeSourceRequest request, ServerCallContext context)
    {
        var answer = new EucSource();
        if (snapshots.Current(callers.Required.TenantCode) is not { } snapshot)
        {
            return Task.FromResult(answer);
        }
        answer.TakenAt = Timestamp.FromDateTime(DateTime.SpecifyKind(snapshot.Manifest.TakenAt, DateTimeKind.Utc));
        answer.Operation = $"tenants/{callers.Required.TenantCode}/operations/{snapshot.Manifest.Job}";
        // What the caller sees, read from the copy's manifest (no engine opened for it).
        foreach (var shape in Shapes(snapshot))
        {
            var table = snapshot.Manifest.Tables.FirstOrDefault(t => t.Name == shape.Name) ?? snapshot.Manifest.Tables.Single(t => t.Entity == "PersonVersion");
            var eucTable = new EucTable
            {
                Name = shape.Name,
                Title = shape.Name == Analytics.EucData.CurrentResidents ? "住民ごとの最新の記録 (現に住民である者)" : table.Title,
                Rows = shape.Name == Analytics.EucData.CurrentResidents ? -1 : table.Rows,
            };
            foreach (var item in table.Items.Where(i => shape.Columns.Any(c => c.Name == i.Name)))
            {
                var described = new EucItem { Name = item.Name, Type = item.Type, Digits = item.Digits, Gaiji = item.Gaiji, Code = item.Code };
                if (item.Code.Length > 0 && layout.Codes.TryGetValue(item.Code, out var codes))
                {
                    described.Codes.AddRange(codes.Select(c => new EucCode { Code = c.Key, Name = c.Value }));
                }
                eucTable.Items.Add(described);
            }
            answer.Tables.Add(eucTable);
        }
        answer.Withheld.AddRange(snapshot.Manifest.Withheld);
        var hidden = access.HiddenItems;
        answer.Withheld.AddRange(snapshot.Manifest.Tables.SelectMany(t => t.Items.Where(i => hidden.Contains(i.Part)).Select(i => $"{t.Name}.{i.Name}: あなたの権限では表示されない項目 (10.4)")));
        return Task.FromResult(answer);
    }

    public override async Task Extract(ExtractRequest request, IServerStreamWriter<ExtractChunk> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var tenant = tenants.Get(callers.Required.TenantCode);
        if (request.Reason.Trim().Length == 0)
        {
            throw DomainException.Invalid(ErrorReasons.RequiredField, "reason", "抽出の理由を入力してください (アクセスログに残ります)。");
        }
        var format = request.Format == EucFormat.Unspecified ? EucFormat.Table : request.Format;
        if (!System.Enum.IsDefined(format))
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "format", "出力の形式は TABLE・CSV・XML・PDF_LIST・PDF_LABEL のいずれかです。");
        }
        if (request.DisplayRows is < 0 or > MaxDisplayRows)
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "display_rows", $"表示する行数は {MaxDisplayRows:N0} 行までです。");
        }
        var snapshot = snapshots.Current(tenant.Code) ?? throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.EucNoSnapshot,
            "EUC のデータソースがまだありません。運用者に JOB_KIND_EUC_SNAPSHOT (srs-admin job euc-snapshot) の実行を依頼してください。");
        using var session = Open(snapshot);
        var (sql, field) = request.QuestionCase switch
        {
            ExtractRequest.QuestionOneofCase.Sql when request.Sql.Trim().Length > 0 => (request.Sql.Trim(), "sql"),
            ExtractRequest.QuestionOneofCase.Wizard => (WizardSql.Build(new WizardChoices(request.Wizard.Table, request.Wizard.Items, [.. request.Wizard.Conditions.Select(c =>
                new Core.Analytics.WizardCondition(c.Item, c.Operator, c.Values))], request.Wizard.GroupBy, request.Wizard.OrderBy), session.Tables), "wizard"),
            _ => throw DomainException.Invalid(ErrorReasons.RequiredField, "sql", "SQL かウィザードの選択 (wizard) を指定してください。"),
        };
        // 10.1#11: the question runs, and its answer is written out, in the counter's quiet moments
        // and on a thread of the lowest priority, so that the counter's calls have the cores first.
        var yieldLimit = TimeSpan.FromMilliseconds(options.Value.YieldMilliseconds);
        Task QuietAsync() => counter.QuietAsync(yieldLimit, ct);
        void Quiet() => counter.WaitQuiet(yieldLimit, ct);
        await QuietAsync();
        var answer = await LowPriority.RunAsync(() => session.Run(sql, field, ct));
        var pdf = format is EucFormat.PdfList or EucFormat.PdfLabel;
        if (pdf && answer.Rows > options.Value.MaxPdfRows)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.EucOutputUnfit,
                $"{answer.Rows:N0} 行は PDF にするには多すぎます ({options.Value.MaxPdfRows:N0} 行まで)。CSV か XML で出力してください。", [new FieldViolation("format", "PDF は行数が多すぎます。")]);
        }
        var labels = format == EucFormat.PdfLabel ? LabelColumns.Of(answer.Columns) : null;
        var persons = answer.Persons.ToHashSet(StringComparer.Ordinal);
        var protectedPersons = persons.Count == 0 ? 0 : (await db.Suppressions.AsNoTracking()
            .Where(s => s.Active && s.Category == SuppressionCategory.SupportMeasure && s.ResidentNumber != "").Select(s => s.ResidentNumber).Distinct().ToListAsync(ct))
            .Count(persons.Contains);
        var fileName = format switch
        {
            EucFormat.Csv => "抽出結果.csv",
            EucFormat.Xml => "抽出結果.xml",
            EucFormat.PdfList => "抽出結果_一覧.pdf",
            EucFormat.PdfLabel => "抽出結果_宛名.pdf",
            _ => "",
        };
        var summary = new ExtractSummary
        {
            Rows = answer.Rows, Persons = answer.Persons.Count, Sql = sql, FileName = fileName, ProtectedPersons = protectedPersons,
            TakenAt = Timestamp.FromDateTime(DateTime.SpecifyKind(snapshot.Manifest.TakenAt, DateTimeKind.Utc)),
        };
        summary.Columns.AddRange(answer.Columns);
        // The entry: who (the pipeline), what was asked and why, how many, and every person.
        record.Answer(summary, new Touched(answer.Persons, Detail:
            $"EUC 抽出 ({format}) {snapshot.Manifest.TakenAt:yyyy-MM-dd HH:mm}Z の写し: {answer.Rows:N0} 行・{answer.Persons.Count:N0} 人; 理由: {request.Reason.Trim()}; {sql}"));
        await responseStream.WriteAsync(new ExtractChunk { Summary = summary }, ct);
        if (format == EucFormat.Table)
        {
            var display = request.DisplayRows == 0 ? DefaultDisplayRows : request.DisplayRows;
            foreach (var page in session.Rows(display).Chunk(200))
            {
                var rows = new ExtractRows();
                rows.Rows.AddRange(page.Select(r => new ExtractRow { Values = { r } }));
                await responseStream.WriteAsync(new ExtractChunk { Rows = rows }, ct);
            }
            return;
        }
        var today = JapanTime.Today(time);
        var subtitle = $"{tenant.Name}　{snapshot.Manifest.TakenAt.AddHours(9):yyyy-MM-dd HH:mm} 時点の写し　{answer.Rows:N0} 件";
        var file = Path.GetTempFileName();
        try
        {
            await LowPriority.RunAsync(() =>
            {
                using var output = File.Create(file);
                switch (format)
                {
                    case EucFormat.Csv:
                        WriteCsv(output, answer.Columns, session.Rows(), Quiet);
                        break;
                    case EucFormat.Xml:
                        WriteXml(output, answer.Columns, session.Rows(), snapshot.Manifest.TakenAt, Quiet);
                        break;
                    case EucFormat.PdfList:
                        var lines = session.Rows().Select(r => (IReadOnlyList<string>)r).ToList();
                        output.Write(renderer.RenderTable(new TableContent("EUC 抽出結果", subtitle, answer.Columns, [.. answer.Columns.Select(_ => 1f)], lines, today)));
                        break;
                    default:
                        output.Write(renderer.RenderLabels([.. session.Rows().Select(r => labels!.Label(r, today))]));
                        break;
                }
            });
            await using var read = File.OpenRead(file);
            var buffer = new byte[ChunkBytes];
            int length;
            while ((length = await read.ReadAsync(buffer, ct)) > 0)
            {
                await QuietAsync();
                await responseStream.WriteAsync(new ExtractChunk { Data = ByteString.CopyFrom(buffer, 0, length) }, ct);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    private EucSession Open(EucSnapshots.Snapshot snapshot) => EucSession.Open(snapshot, access.HiddenItems, MayRead(), options.Value);

    private IReadOnlyList<EucTableShape> Shapes(EucSnapshots.Snapshot snapshot) => EucSession.Shapes(snapshot, access.HiddenItems, MayRead());

    /// <summary>Whether the caller may read a table of an entity (the access table's function it needs besides euc).</summary>
    private Func<string, bool> MayRead()
    {
        var caller = callers.Required;
        var tenant = tenants.Get(caller.TenantCode);
        return entity => !Analytics.EucData.TableFunctions.TryGetValue(entity, out var function) || access.May(caller, tenant, function);
    }

    /// <summary>CSV as people open it in a spreadsheet: UTF-8 with a byte order mark, CRLF, a formula-looking value escaped.</summary>
    private static void WriteCsv(Stream output, IReadOnlyList<string> columns, IEnumerable<string[]> rows, Action quiet)
    {
        using var csv = CsvHelper.CsvWriter.Create(output, new CsvHelper.CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvHelper.CsvInjection.Escape, NewLine = "\r\n" });
        csv.WriteHeader([.. columns]);
        foreach (var (index, row) in rows.Index())
        {
            if (index % RowsBetweenYields == 0)
            {
                quiet();
            }
            csv.WriteRecord(row);
        }
    }

    /// <summary>XML: &lt;抽出結果&gt; with one &lt;行&gt; per row and an element per column (a name XML cannot hold is encoded).</summary>
    private static void WriteXml(Stream output, IReadOnlyList<string> columns, IEnumerable<string[]> rows, DateTime takenAt, Action quiet)
    {
        using var xml = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false), CloseOutput = false });
        var names = columns.Select(XmlConvert.EncodeLocalName).ToList();
        xml.WriteStartElement("抽出結果");
        xml.WriteAttributeString("写しの時点", takenAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        foreach (var (index, row) in rows.Index())
        {
            if (index % RowsBetweenYields == 0)
            {
                quiet();
            }
            xml.WriteStartElement("行");
            for (var i = 0; i < row.Length; i++)
            {
                xml.WriteElementString(names[i]!, row[i]);
            }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    /// <summary>
    /// Where a label's parts are in an answer: 氏名 (or 氏 and 名), 住所 (or the layout's 住所_ parts),
    /// 方書 (or 住所_方書) and 郵便番号 (or 住所_郵便番号). 住所 and 氏名 are required.
    /// </summary>
    private sealed record LabelColumns(int[] Name, int[] Address, int Chome, int Banchi, int Katagaki, int Postal)
    {
        public static LabelColumns Of(IReadOnlyList<string> columns)
        {
            var list = columns.ToList();
            int At(params string[] names) => names.Select(n => list.IndexOf(n)).FirstOrDefault(i => i >= 0, -1);
            int[] All(params string[] names) => [.. names.Select(n => list.IndexOf(n)).Where(i => i >= 0)];
            var name = At("氏名") is var whole and >= 0 ? [whole] : All("氏", "名");
            var line = At("住所");
            var address = line >= 0 ? [line] : All("住所_都道府県", "住所_市区町村", "住所_町字");
            if (name.Length == 0 || address.Length == 0)
            {
                throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.EucOutputUnfit,
                    "宛名形式には 住所 (または 住所_都道府県・住所_市区町村・住所_町字) と 氏名 (または 氏・名) の列が要ります。", [new FieldViolation("format", "宛名に要る列がありません。")]);
            }
            return new LabelColumns(name, address, line >= 0 ? -1 : At("住所_丁目"), line >= 0 ? -1 : At("住所_番地"), At("方書", "住所_方書"), At("郵便番号", "住所_郵便番号"));
        }

        public LabelContent Label(string[] row, DateOnly today)
        {
            string Of(int i) => i >= 0 ? row[i] : "";
            var chome = Of(Chome) is { Length: > 0 } c && c != "0" ? c + "丁目" : "";
            var postal = Of(Postal);
            return new LabelContent(postal.Length == 7 ? $"{postal[..3]}-{postal[3..]}" : postal, [string.Concat(Address.Select(Of)) + chome + Of(Banchi), Of(Katagaki)],
                string.Join("　", Name.Select(Of).Where(n => n.Length > 0)), today);
        }
    }
}
