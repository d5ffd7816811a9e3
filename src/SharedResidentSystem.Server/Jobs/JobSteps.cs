using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Jobs;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Server.Jobs;

/// <summary>
/// What a kind whose steps write (items, 異動, access-log entries) needs: a scope acting as the
/// staff member who started the job, and the job's checkpoint written in the same transaction as
/// the step's work (the runner writes the same again after the step), so a crash neither repeats
/// nor loses the step.
/// </summary>
public static class JobSteps
{
    /// <summary>A scope acting as who started the job, from their terminal.</summary>
    public static async Task InScopeAsync(IServiceScopeFactory scopes, JobRecord job, Func<IServiceProvider, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(job.TenantCode, job.StaffId, job.TerminalId, new HashSet<string>()));
        await work(scope.ServiceProvider, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one register transaction of a scope as the job's starter,
    /// from the job's state at the step's start (a retried attempt starts again from there), and
    /// writes the checkpoint <paramref name="work"/> leaves on <paramref name="job"/> with it.
    /// </summary>
    public static Task InTransactionAsync(IServiceScopeFactory scopes, JobRecord job, Func<IServiceProvider, SrsDbContext, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var started = (job.Checkpoint, job.Done, job.Total);
        return InScopeAsync(scopes, job, async (services, ct) =>
        {
            var transaction = services.GetRequiredService<RegisterTransaction>();
            await transaction.RunAsync(async token =>
            {
                (job.Checkpoint, job.Done, job.Total) = started;
                await work(services, transaction.Db, token);
                var row = await transaction.Db.Jobs.SingleAsync(j => j.Id == job.Id, token);
                (row.Checkpoint, row.Done, row.Total) = (job.Checkpoint, job.Done, job.Total);
                row.ConcurrencyStamp = Guid.NewGuid();
                return 0;
            }, ct);
        }, cancellationToken);
    }

    /// <summary>
    /// Appends rows to a job's list (CSV, UTF-8 with a byte order mark and the header when new),
    /// after cutting what a step cut by a crash wrote beyond <paramref name="length"/> (the length
    /// the checkpoint says was written). Returns the new length, for the checkpoint.
    /// </summary>
    public static async Task<long> AppendCsvAsync(string file, long length, IReadOnlyList<string> header, IEnumerable<string[]> rows, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite);
        stream.SetLength(length);
        stream.Seek(0, SeekOrigin.End);
        // The writer closes the stream when it is disposed: the length is read before that.
        using var csv = CsvHelper.CsvWriter.Create(stream, new CsvHelper.CsvWriterOptions { WriteByteOrderMark = length == 0, Injection = CsvHelper.CsvInjection.Escape });
        if (length == 0)
        {
            csv.WriteHeader([.. header]);
        }
        foreach (var row in rows)
        {
            csv.WriteRecord(row);
        }
        csv.Flush();
        await stream.FlushAsync(cancellationToken);
        return stream.Length;
    }
}
