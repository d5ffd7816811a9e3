using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Core.Certificates;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Jobs;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Cs;

namespace SharedResidentSystem.Server.Jobs;

/// <summary>One kind of job: its steps, and the residents its access-log entry names when it ends.</summary>
public interface IJobKind
{
    /// <summary>As stored (JobRecord.Kind) and in the city's schedules.</summary>
    string Kind { get; }

    Contracts.Jobs.V1.JobKind Contract { get; }

    /// <summary>How staff and the access log name it.</summary>
    string Title { get; }

    /// <summary>One step from the job's checkpoint; true when it has finished (its Result set).</summary>
    Task<bool> StepAsync(SrsDbContext db, JobRecord job, TenantDefinition tenant, string folder, CancellationToken cancellationToken);

    /// <summary>The residents a finished job touched.</summary>
    IReadOnlyCollection<string> Touched(JobRecord job);

    /// <summary>A scheduled run's parameters: the schedule's (from the city's configuration), with the day it was due (JST) as its 基準日 where the kind has one.</summary>
    string Scheduled(string parameters, DateOnly due) => parameters;
}

/// <summary>9.6 無作為抽出・条件指定抽出 (Core/Jobs/RandomExtraction).</summary>
public sealed class RandomExtractionJob(IOptions<JobOptions> options, ICertificateRenderer renderer, TimeProvider time) : IJobKind
{
    public const string LabelFile = "宛名シール.pdf";

    public string Kind => RandomExtraction.Kind;

    public Contracts.Jobs.V1.JobKind Contract => Contracts.Jobs.V1.JobKind.RandomExtraction;

    public string Title => "9.6 無作為抽出";

    public Task<bool> StepAsync(SrsDbContext db, JobRecord job, TenantDefinition tenant, string folder, CancellationToken cancellationToken) =>
        RandomExtraction.StepAsync(db, job, tenant, folder, options.Value.PageSize, cancellationToken, drawn =>
        {
            // 9.6#2: a 宛名シール for each drawn, in the order drawn (MJ characters exact, through the certificates' renderer).
            var today = SharedResidentSystem.Japanese.JapanTime.Today(time);
            var labels = drawn.Select(p => new LabelContent(p.Address.PostalCode.Length == 7 ? $"{p.Address.PostalCode[..3]}-{p.Address.PostalCode[3..]}" : p.Address.PostalCode,
                [p.Address.Prefecture + p.Address.City + p.Address.Town + (p.Address.Chome > 0 ? $"{p.Address.Chome}丁目" : "") + p.Address.Banchi, p.Address.Katagaki],
                $"{p.FamilyName}　{p.GivenName}".Trim('　'), today)).ToList();
            File.WriteAllBytes(Path.Combine(folder, LabelFile), renderer.RenderLabels(labels));
            return LabelFile;
        });

    public IReadOnlyCollection<string> Touched(JobRecord job) =>
        job.Checkpoint.Length == 0 ? [] : [.. JsonSerializer.Deserialize<RandomExtraction.Progress>(job.Checkpoint)!.Drawn.Values.SelectMany(d => d.Select(p => p.Resident))];

    public string Scheduled(string parameters, DateOnly due) =>
        JsonSerializer.Serialize(JsonSerializer.Deserialize<RandomExtractionParameters>(parameters)! with { AsOf = due });
}

/// <summary>
/// 7.1.1.2 整合性確認 as a job (to run on a schedule): the whole check in one step (it is read
/// again from the start after a crash), every difference in 相違一覧.csv.
/// </summary>
public sealed class CsConsistencyJob(CsConnection cs) : IJobKind
{
    public const string KindName = "csConsistency";
    public const string FileName = "相違一覧.csv";

    public string Kind => KindName;

    public Contracts.Jobs.V1.JobKind Contract => Contracts.Jobs.V1.JobKind.CsConsistency;

    public string Title => "7.1.1.2 整合性確認";

    public async Task<bool> StepAsync(SrsDbContext db, JobRecord job, TenantDefinition tenant, string folder, CancellationToken cancellationToken)
    {
        var client = cs.Client ?? throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.CsNotConfigured, "CS が設定されていません (Cs:Address)。",
            [new FieldViolation("cs", "CS が設定されていません。")]);
        var differences = new List<(Contracts.Registration.V1.CsDifference Difference, string? Resident)>();
        var compared = await CsConsistency.RunAsync(db, client, tenant, (d, r) => differences.Add((d, r)), cancellationToken);
        Directory.CreateDirectory(folder);
        await using (var stream = File.Create(Path.Combine(folder, FileName)))
        {
            using var csv = CsvHelper.CsvWriter.Create(stream, new CsvHelper.CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvHelper.CsvInjection.Escape });
            csv.WriteHeader(["住民票コード", "宛名番号", "項目", "台帳の値", "CSの値"]);
            foreach (var (d, r) in differences)
            {
                csv.WriteRecord([d.ResidentCode, r ?? "", d.Item, d.RegisterValue, d.CsValue]);
            }
            csv.Flush();
        }
        (job.Done, job.Total) = (compared, compared);
        job.Checkpoint = JsonSerializer.Serialize(differences.Select(d => d.Resident).OfType<string>().Distinct().ToList());
        job.Result = JsonSerializer.Serialize(new JobOutcome([$"{job.Id.ToString(CultureInfo.InvariantCulture)}/{FileName}"],
            new Dictionary<string, long> { ["照合"] = compared, ["相違"] = differences.Count }, []));
        return true;
    }

    public IReadOnlyCollection<string> Touched(JobRecord job) => job.Checkpoint.Length == 0 ? [] : JsonSerializer.Deserialize<List<string>>(job.Checkpoint)!;
}
