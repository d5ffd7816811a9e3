using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;

namespace SharedResidentSystem.Core.Certificates;

/// <summary>A ledger entry with its copies and, if any, its disposal.</summary>
public sealed record LedgerEntry(Issuance Issuance, IReadOnlyList<IssuedCopy> Copies, IssuanceDisposal? Disposal);

public sealed record LedgerQuery(string ResidentNumber, string Staff, string Kind, DateOnly? From, DateOnly? Until, bool IncludeRefused, int PageSize, long? Before);

/// <summary>What verification may say about a code: nothing personal.</summary>
public sealed record VerificationAnswer(bool WellFormed, bool Found, bool Disposed, DateTime IssuedAt, string CityCode, string CityName, string Kind, string ContentHash, int Pages);

/// <summary>
/// 交付履歴 (1.3.8, 2.2.2): read by person and by the ledger's items, reprinted byte for byte,
/// disposed (処分情報) by appending a record; and the public verification of a printed code.
/// </summary>
public sealed class IssuanceLedger(SrsDbContext db, TenantDirectory tenants, TimeProvider time)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public async Task<LedgerEntry> GetAsync(long id, bool withPdf, CancellationToken cancellationToken)
    {
        var issuance = await db.Issuances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, cancellationToken) ?? throw DomainException.NotFound("交付履歴", "name");
        var copies = await Copies([id], withPdf, cancellationToken);
        var disposal = await db.IssuanceDisposals.AsNoTracking().SingleOrDefaultAsync(d => d.IssuanceId == id, cancellationToken);
        return new LedgerEntry(issuance, copies, disposal);
    }

    public async Task<IReadOnlyList<LedgerEntry>> ListAsync(LedgerQuery query, CancellationToken cancellationToken)
    {
        var rows = db.Issuances.AsNoTracking();
        if (query.ResidentNumber.Length > 0)
        {
            // Residents is a comma-separated list of 宛名番号 of equal length: match a whole item.
            var n = query.ResidentNumber;
            rows = rows.Where(i => i.Residents == n || i.Residents.StartsWith(n + ",") || i.Residents.EndsWith("," + n) || i.Residents.Contains("," + n + ","));
        }
        if (query.Staff.Length > 0)
        {
            rows = rows.Where(i => i.StaffId == query.Staff);
        }
        if (query.Kind.Length > 0)
        {
            rows = rows.Where(i => i.Kind == query.Kind);
        }
        if (query.From is { } from)
        {
            rows = rows.Where(i => i.IssuedOn >= from);
        }
        if (query.Until is { } until)
        {
            rows = rows.Where(i => i.IssuedOn <= until);
        }
        if (!query.IncludeRefused)
        {
            rows = rows.Where(i => i.Outcome == Issuances.Issued);
        }
        if (query.Before is { } before)
        {
            rows = rows.Where(i => i.Id < before);
        }
        var size = Math.Clamp(query.PageSize <= 0 ? DefaultPageSize : query.PageSize, 1, MaxPageSize);
        var page = await rows.OrderByDescending(i => i.Id).Take(size + 1).ToListAsync(cancellationToken);
        var ids = page.Select(i => i.Id).ToList();
        var copies = await Copies(ids, false, cancellationToken);
        var disposals = await db.IssuanceDisposals.AsNoTracking().Where(d => ids.Contains(d.IssuanceId)).ToListAsync(cancellationToken);
        return page.Select(i => new LedgerEntry(i, copies.Where(c => c.IssuanceId == i.Id).ToList(), disposals.FirstOrDefault(d => d.IssuanceId == i.Id))).ToList();
    }

    private async Task<List<IssuedCopy>> Copies(List<long> ids, bool withPdf, CancellationToken cancellationToken)
    {
        var query = db.IssuedCopies.AsNoTracking().Where(c => ids.Contains(c.IssuanceId));
        if (!withPdf)
        {
            query = query.Select(c => new IssuedCopy
            {
                TenantCode = c.TenantCode, IssuanceId = c.IssuanceId, CopyNumber = c.CopyNumber, IssueNumber = c.IssueNumber,
                VerificationCode = c.VerificationCode, ContentHash = c.ContentHash,
            });
        }
        return await query.OrderBy(c => c.IssuanceId).ThenBy(c => c.CopyNumber).ToListAsync(cancellationToken);
    }

    /// <summary>Records that an issued certificate was destroyed (once); the entry itself is never changed.</summary>
    public async Task<LedgerEntry> DisposeAsync(Caller caller, long id, string reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw DomainException.Invalid(ErrorReasons.RequiredField, "reason", "処分の理由を入力してください。");
        }
        var entry = await GetAsync(id, false, cancellationToken);
        if (entry.Issuance.Outcome != Issuances.Issued)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.NotEligible, "交付されていない請求は処分できません。", [new FieldViolation("name", "拒否された請求です。")]);
        }
        if (entry.Disposal is not null)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.NotEligible, "既に処分済みです。", [new FieldViolation("name", "処分済みです。")]);
        }
        var disposal = new IssuanceDisposal
        {
            TenantCode = caller.TenantCode,
            IssuanceId = id,
            DisposedAt = time.GetUtcNow().UtcDateTime,
            StaffId = caller.StaffId,
            Reason = reason.Trim(),
        };
        db.IssuanceDisposals.Add(disposal);
        return entry with { Disposal = disposal };
    }

    /// <summary>
    /// Looks a printed code up across the joint system (the one public read): whether it was
    /// issued, when, by which city, which kind, the hash of its content. Nothing personal.
    /// </summary>
    public async Task<VerificationAnswer> VerifyAsync(string? typed, CancellationToken cancellationToken)
    {
        var code = VerificationCodes.Normalize(typed);
        if (code is null)
        {
            return new VerificationAnswer(false, false, false, default, "", "", "", "", 0);
        }
        var copy = await db.IssuedCopies.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.VerificationCode == code)
            .Select(c => new { c.TenantCode, c.IssuanceId, c.ContentHash })
            .SingleOrDefaultAsync(cancellationToken);
        if (copy is null)
        {
            return new VerificationAnswer(true, false, false, default, "", "", "", "", 0);
        }
        var issuance = await db.Issuances.IgnoreQueryFilters().AsNoTracking()
            .Where(i => i.TenantCode == copy.TenantCode && i.Id == copy.IssuanceId)
            .Select(i => new { i.IssuedAt, i.Kind, i.Pages })
            .SingleAsync(cancellationToken);
        var disposed = await db.IssuanceDisposals.IgnoreQueryFilters().AsNoTracking().AnyAsync(d => d.TenantCode == copy.TenantCode && d.IssuanceId == copy.IssuanceId, cancellationToken);
        var city = tenants.Find(copy.TenantCode);
        return new VerificationAnswer(true, true, disposed, issuance.IssuedAt, copy.TenantCode, city?.Name ?? "", issuance.Kind, copy.ContentHash, issuance.Pages);
    }
}
