using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Core;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Contracts.Migration.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Migration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Hosting;
using SharedResidentSystem.Server.Pipeline;

namespace SharedResidentSystem.Server.Migration;

/// <summary>
/// A city's register in and out as migration files (10.6), for the city's operator: the files
/// are in the city's part of the migration directory (one folder per set). The import streams
/// its progress; its problems go to a report beside the files; the access log holds its start
/// and what it did.
/// </summary>
public sealed partial class MigrationGrpcService(CallerContext callers, SrsDbContext db, RemovedRecordsArchive archive, IStorageProvider storage, IOptions<ServerOptions> options,
    MigrationLayout layout, CallRecord record) : MigrationService.MigrationServiceBase
{
    /// <summary>The report's name in the folder.</summary>
    public const string ReportFile = "検査結果.csv";

    /// <summary>Problems answered in the result (all of them are in the report).</summary>
    public const int MaxAnsweredProblems = 1000;

    public override Task<ExportCityResponse> ExportCity(ExportCityRequest request, ServerCallContext context)
    {
        var folder = Folder(request.Folder);
        CheckLayout();
        if (Directory.Exists(folder))
        {
            throw new DomainException(ErrorKind.AlreadyExists, ErrorReasons.MigrationFolderExists, $"フォルダ {request.Folder} は既にあります。別の名前を指定してください。",
                [new FieldViolation("folder", "既にあるフォルダには出力しません。")]);
        }
        IReadOnlyList<MigrationExporter.ExportedFile> files;
        try
        {
            files = MigrationExporter.Export(db, layout, folder, storage.ReadSnapshot, Encoding(request.Encoding), Format(request.Format), archive.Db);
        }
        catch (GaijiOverflowException overflow)
        {
            Directory.Delete(folder, recursive: true);
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.InvalidField, overflow.Message, [new FieldViolation("encoding", overflow.Message)]);
        }
        var response = new ExportCityResponse { Folder = request.Folder.Trim() };
        response.Files.AddRange(files.Select(f => new MigrationFileCount { File = f.File, Rows = f.Rows }));
        return Task.FromResult(record.Answer(response, new Touched([], Detail:
            $"migration export {response.Folder}: {string.Join(", ", files.Select(f => $"{f.File} {f.Rows}"))}")));
    }

    public override async Task ImportCity(ImportCityRequest request, IServerStreamWriter<ImportCityProgress> responseStream, ServerCallContext context)
    {
        var folder = Folder(request.Folder);
        if (!Directory.Exists(folder))
        {
            throw DomainException.NotFound($"フォルダ {request.Folder}", "folder");
        }
        CheckLayout();
        var ct = context.CancellationToken;
        // Progress never holds the import back: when the caller reads slowly, older steps give way to newer.
        var progress = System.Threading.Channels.Channel.CreateBounded<ImportProgress>(new System.Threading.Channels.BoundedChannelOptions(256)
        {
            FullMode = System.Threading.Channels.BoundedChannelFullMode.DropOldest,
        });
        var options = new ImportOptions
        {
            DryRun = request.DryRun,
            SkipInvalidHouseholds = request.SkipInvalidHouseholds,
            Resume = request.Resume,
            Storage = storage,
            Archive = archive.Db,
            Encoding = Encoding(request.Encoding),
            Format = Format(request.Format),
            Progress = p => progress.Writer.TryWrite(p),
        };
        var import = Task.Run(async () =>
        {
            try
            {
                return await MigrationImporter.ImportAsync(db, layout, folder, options, ct);
            }
            finally
            {
                progress.Writer.Complete();
            }
        }, ct);
        try
        {
            await foreach (var step in progress.Reader.ReadAllAsync(ct))
            {
                await responseStream.WriteAsync(new ImportCityProgress { Stage = step.Stage, File = step.File, Done = step.Done, Total = step.Total }, ct);
            }
        }
        finally
        {
            // The import uses this call's context: it ends (the caller gone: cancelled at its next step) before the call does.
            await Task.WhenAny(import);
        }
        MigrationImporter.Result result;
        try
        {
            result = await import;
        }
        catch (MigrationResumeException mismatch)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.MigrationResumeMismatch, mismatch.Message, [new FieldViolation("resume", mismatch.Message)]);
        }
        var report = Path.Combine(folder, ReportFile);
        using (var stream = File.Create(report))
        {
            MigrationImporter.WriteReport(result.Problems, stream);
        }
        var answer = new ImportCityResult
        {
            Imported = result.Imported,
            ProblemCount = result.Problems.Count,
            SkippedRows = result.SkippedRows,
            ReportFile = ReportFile,
        };
        answer.Problems.AddRange(result.Problems.Take(MaxAnsweredProblems).Select(p => new MigrationProblem
        {
            File = p.File, Line = p.Line, Item = p.Item, Rule = p.Rule, Household = p.Household,
        }));
        answer.SkippedHouseholds.AddRange(result.SkippedHouseholds);
        answer.Files.AddRange(result.Rows.Select(r => new MigrationFileCount { File = r.Key, Rows = r.Value }));
        var what = request.DryRun ? "checked" : result.Imported ? "imported" : "refused";
        record.Answer(answer, new Touched([], Detail: string.Create(CultureInfo.InvariantCulture,
            $"migration import {request.Folder.Trim()} {what}{(request.Resume ? " (resumed)" : "")}: {result.Rows.Values.Sum()} rows, {result.Problems.Count} problems, {result.SkippedHouseholds.Count} households left out")));
        await responseStream.WriteAsync(new ImportCityProgress { Stage = "完了", Result = answer }, ct);
    }

    private static Core.Migration.MigrationEncoding Encoding(Contracts.Migration.V1.MigrationEncoding encoding) =>
        encoding == Contracts.Migration.V1.MigrationEncoding.ShiftJis ? Core.Migration.MigrationEncoding.ShiftJis : Core.Migration.MigrationEncoding.Utf8;

    private static Core.Migration.MigrationFormat Format(Contracts.Migration.V1.MigrationFormat format) =>
        format == Contracts.Migration.V1.MigrationFormat.Xml ? Core.Migration.MigrationFormat.Xml : Core.Migration.MigrationFormat.Csv;

    /// <summary>The layout holds to the storage model (a replaced layout file could not).</summary>
    private void CheckLayout()
    {
        var problems = layout.Check(db.Model);
        if (problems.Count > 0)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.ConfigInvalid, "移行レイアウトが登録の項目と合いません：" + string.Join(" / ", problems.Take(5)),
                [.. problems.Take(20).Select(p => new FieldViolation("layout", p))]);
        }
    }

    /// <summary>The folder under the caller's city's part of the migration directory; a name that could leave it is refused.</summary>
    private string Folder(string name)
    {
        var trimmed = name.Trim();
        if (!FolderName().IsMatch(trimmed))
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "folder", "フォルダ名は英数字・「-」・「_」で 64 文字までにしてください。");
        }
        return Path.Combine(Root(options.Value), callers.Required.TenantCode, trimmed);
    }

    /// <summary>The migration directory: Server:MigrationDirectory, else "migration" in the data directory.</summary>
    public static string Root(ServerOptions options) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(options.MigrationDirectory) ? Path.Combine(options.DataDirectory, "migration") : options.MigrationDirectory);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex FolderName();
}
