using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Audit;

/// <summary>What one access-log entry says (10.2).</summary>
public sealed record AccessRecord(
    string Function,
    IReadOnlyCollection<string> Targets,
    bool TouchedIndividualNumber,
    string Outcome,
    string Detail = "");

/// <summary>
/// Appends entries to the city's hash-chained access log inside the current transaction:
/// each entry's hash covers its content and the hash before it, so an edited, removed,
/// inserted or reordered entry breaks the chain.
/// </summary>
public sealed class AccessLogWriter(SrsDbContext db, IStorageProvider provider, TimeProvider time)
{
    public const string Ok = "OK";
    public const string GenesisHash = "GENESIS";

    public async Task AppendAsync(Caller caller, AccessRecord record, CancellationToken cancellationToken)
    {
        var pending = db.ChangeTracker.Entries<AccessLogEntry>()
            .Where(e => e.State == EntityState.Added)
            .Select(e => e.Entity)
            .OrderByDescending(e => e.Sequence)
            .FirstOrDefault();
        if (pending is null)
        {
            await provider.LockAuditChainAsync(db, caller.TenantCode, cancellationToken);
        }
        var head = pending is not null
            ? new { pending.Sequence, pending.Hash }
            : await db.AccessLog.OrderByDescending(e => e.Sequence).Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
        var entry = new AccessLogEntry
        {
            TenantCode = caller.TenantCode,
            Sequence = (head?.Sequence ?? 0) + 1,
            // Microseconds: the finest precision every provider keeps, so the hash verifies after a round trip.
            At = new DateTime(time.GetUtcNow().UtcTicks / 10 * 10, DateTimeKind.Utc),
            StaffId = caller.StaffId,
            Roles = string.Join(',', caller.Roles.Order(StringComparer.Ordinal)),
            TerminalId = caller.TerminalId,
            Function = record.Function,
            Targets = string.Join(',', record.Targets.Distinct().Order(StringComparer.Ordinal)),
            TouchedIndividualNumber = record.TouchedIndividualNumber,
            Outcome = record.Outcome,
            Detail = record.Detail,
            PreviousHash = head?.Hash ?? GenesisHash,
        };
        entry.Hash = ComputeHash(entry);
        db.AccessLog.Add(entry);
    }

    /// <summary>The hash of an entry over every field but its own hash.</summary>
    public static string ComputeHash(AccessLogEntry e)
    {
        var canonical = string.Join('\u001f',
            e.TenantCode,
            e.Sequence.ToString(CultureInfo.InvariantCulture),
            e.At.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture),
            e.StaffId, e.Roles, e.TerminalId, e.Function, e.Targets,
            e.TouchedIndividualNumber ? "1" : "0",
            e.Outcome, e.Detail, e.PreviousHash);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
