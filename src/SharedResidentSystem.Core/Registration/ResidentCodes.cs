using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Numbers;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;

namespace SharedResidentSystem.Core.Registration;

/// <summary>
/// 住民票コードの蓄積と付番 (4.3.1): codes from the CS are stored; each 付番 takes one of the
/// free codes at random. Two 付番 that draw the same code collide on its concurrency stamp and
/// the transaction is retried.
/// </summary>
public sealed class ResidentCodes(SrsDbContext db, TimeProvider time, RemovedRecordsArchive? archive = null)
{
    public async Task<(long Free, long Assigned)> ImportAsync(Caller caller, IReadOnlyList<string> codes, CancellationToken cancellationToken)
    {
        var v = new Residents.Violations();
        if (codes.Count == 0)
        {
            v.Add("codes", "蓄積する住民票コードを一つ以上指定してください。");
        }
        for (var i = 0; i < codes.Count; i++)
        {
            if (!CheckDigits.IsValidResidentCode(codes[i].Trim()))
            {
                v.Add($"codes[{i}]", $"「{codes[i]}」は住民票コード (11桁、検査数字が正しいもの) ではありません。");
            }
        }
        v.ThrowIfAny();
        var wanted = codes.Select(c => c.Trim()).Distinct().ToList();
        var stored = await db.ResidentCodeStock.Where(s => wanted.Contains(s.Code)).Select(s => s.Code).ToListAsync(cancellationToken);
        // Distinct in memory, so the engine takes the 住民票コード index (see ResidentQueries.GetHouseholdAsync).
        var used = (await db.PersonVersions.Where(p => wanted.Contains(p.ResidentCode)).Select(p => p.ResidentCode).ToListAsync(cancellationToken)).Distinct().ToList();
        if (archive is not null)
        {
            // A code a 除票 in the 除票用データベース (9.3) holds is used as well: it is never stocked again.
            used.AddRange(await archive.Db.PersonVersions.AsNoTracking().Where(p => wanted.Contains(p.ResidentCode)).Select(p => p.ResidentCode).Distinct().ToListAsync(cancellationToken));
        }
        var now = time.GetUtcNow().UtcDateTime;
        var added = wanted.Except(stored).Except(used).ToList();
        foreach (var code in added)
        {
            db.ResidentCodeStock.Add(new ResidentCodeStock { TenantCode = caller.TenantCode, Code = code, ImportedAt = now, ConcurrencyStamp = Guid.NewGuid() });
        }
        var (free, assigned) = await CountAsync(cancellationToken);
        return (free + added.Count, assigned);
    }

    public async Task<(long Free, long Assigned)> CountAsync(CancellationToken cancellationToken) =>
        (await db.ResidentCodeStock.LongCountAsync(s => s.AssignedTo == "", cancellationToken),
         await db.ResidentCodeStock.LongCountAsync(s => s.AssignedTo != "", cancellationToken));

    /// <summary>A free code chosen at random and given to the resident; null when the stock is empty.</summary>
    public async Task<string?> AssignAsync(string residentNumber, CancellationToken cancellationToken)
    {
        var taken = db.ResidentCodeStock.Local.Where(s => s.AssignedTo != "").Select(s => s.Code).ToList();
        var free = db.ResidentCodeStock.Where(s => s.AssignedTo == "" && !taken.Contains(s.Code));
        var count = await free.CountAsync(cancellationToken);
        if (count == 0)
        {
            return null;
        }
        var pick = await free.OrderBy(s => s.Code).Skip(RandomNumberGenerator.GetInt32(count)).FirstAsync(cancellationToken);
        pick.AssignedTo = residentNumber;
        pick.AssignedAt = time.GetUtcNow().UtcDateTime;
        pick.ConcurrencyStamp = Guid.NewGuid();
        return pick.Code;
    }

    /// <summary>A code must come from the stock or be entered; an empty stock refuses a 付番 that asked for one.</summary>
    public static DomainException StockEmpty(string field) =>
        new(ErrorKind.FailedPrecondition, ErrorReasons.ResidentCodeStockEmpty, "蓄積された住民票コードがありません。CSから取得して蓄積してください。",
            [new FieldViolation(field, "住民票コードの蓄積がありません。")]);
}
