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

    private const int ShortText = 64;
    private const int FunctionText = 200;
    private const int DetailText = 1000;

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
            // Whatever a token or a request held, an entry is storable on every database and
            // reads back as written (so its hash verifies): see Storable.
            StaffId = Storable(caller.StaffId, ShortText),
            Roles = Storable(string.Join(',', caller.Roles.Order(StringComparer.Ordinal)), ShortText),
            TerminalId = Storable(caller.TerminalId, ShortText),
            Function = Storable(record.Function, FunctionText),
            Targets = Storable(string.Join(',', record.Targets.Distinct().Order(StringComparer.Ordinal)), int.MaxValue),
            TouchedIndividualNumber = record.TouchedIndividualNumber,
            Outcome = Storable(record.Outcome, ShortText),
            Detail = Storable(record.Detail, DetailText),
            PreviousHash = head?.Hash ?? GenesisHash,
        };
        entry.Hash = ComputeHash(entry);
        db.AccessLog.Add(entry);
    }

    /// <summary>
    /// A text as an entry keeps it: no NUL or other control character (PostgreSQL refuses NUL,
    /// SQLite cuts the text at it, and the hash would no longer match what is read back), no
    /// unpaired surrogate (not encodable), each replaced by U+FFFD; and no longer than its
    /// column (a cut text ends in "…"). One caller's input can then never fail the city's log.
    /// </summary>
    public static string Storable(string? text, int max)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var clean = new StringBuilder(Math.Min(text.Length, max));
        var i = 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (clean.Length + (pair ? 2 : 1) > max)
            {
                break;
            }
            if (pair)
            {
                clean.Append(c).Append(text[++i]);
            }
            else
            {
                clean.Append(char.IsSurrogate(c) || char.IsControl(c) ? '\uFFFD' : c);
            }
        }
        if (i < text.Length)
        {
            // Cut: room for the mark, without splitting a pair.
            clean.Length = Math.Max(0, max - 1);
            if (clean.Length > 0 && char.IsHighSurrogate(clean[^1]))
            {
                clean.Length--;
            }
            clean.Append('…');
        }
        return clean.ToString();
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
