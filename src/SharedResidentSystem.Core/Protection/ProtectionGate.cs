using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Core.Protection;

/// <summary>A resident and the household it belongs to, as a 抑止 may name either.</summary>
public sealed record ProtectionTarget(string ResidentNumber, string HouseholdNumber);

/// <summary>
/// Applies 抑止 (3.1) to a process: an active 抑止 that has begun, names the resident or its
/// household, covers the process and is not released for this caller right now, refuses it
/// (エラー) or needs the alert SUPPRESSED acknowledged (アラート). An end date that has passed
/// does not end a 抑止; only lifting it does.
/// </summary>
public sealed class ProtectionGate(SrsDbContext db, TimeProvider time)
{
    public async Task<IReadOnlyList<Suppression>> InForceAsync(Caller caller, IReadOnlyCollection<ProtectionTarget> targets, SuppressedProcesses process, CancellationToken cancellationToken) =>
        await InForceAsync(await ActiveAsync(targets, cancellationToken), caller, process, cancellationToken);

    /// <summary>
    /// Refuses the process for an エラー 抑止; asks for the alert SUPPRESSED for an アラート one.
    /// Returns whether any 抑止 is set on the targets at all (so that the clerk sees it is).
    /// </summary>
    public async Task<bool> EnforceAsync(Caller caller, IReadOnlyCollection<ProtectionTarget> targets, SuppressedProcesses process, IEnumerable<string> acknowledged, string field, CancellationToken cancellationToken)
    {
        var active = await ActiveAsync(targets, cancellationToken);
        if (active.Count == 0)
        {
            return false;
        }
        var inForce = await InForceAsync(active, caller, process, cancellationToken);
        var residents = targets.Select(t => t.ResidentNumber);
        if (inForce.Any(s => s.Level == SuppressionLevel.Error))
        {
            var message = $"{Describe(process)}が抑止されている住民です。決裁者による一時解除が必要です。";
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.Suppressed, message, [new FieldViolation(field, message)]).Concerning(residents);
        }
        if (inForce.Count > 0)
        {
            var alerts = new AlertCollector(acknowledged);
            alerts.Raise(AlertCodes.Suppressed, field, $"{Describe(process)}の抑止 (アラート) が設定されている住民です: {string.Join(" / ", inForce.Select(s => s.Reason).Distinct())}");
            try
            {
                alerts.ThrowIfUnacknowledged();
            }
            catch (DomainException unacknowledged)
            {
                throw unacknowledged.Concerning(residents);
            }
        }
        return true;
    }

    /// <summary>The 加害者 recorded in the active 支援措置 of the city (whoever they protect).</summary>
    public async Task<IReadOnlyList<PerpetratorValue>> RecordedPerpetratorsAsync(CancellationToken cancellationToken) =>
        (await db.SupportMeasures.AsNoTracking().Where(m => m.State == SupportMeasureState.Active).ToListAsync(cancellationToken))
            .SelectMany(SupportMeasures.PerpetratorsOf).ToList();

    /// <summary>Every active 抑止 naming one of the targets (begun or not, released or not): one query.</summary>
    private async Task<List<Suppression>> ActiveAsync(IReadOnlyCollection<ProtectionTarget> targets, CancellationToken cancellationToken)
    {
        if (targets.Count == 0)
        {
            return [];
        }
        var residents = targets.Select(t => t.ResidentNumber).Where(n => n.Length > 0).Distinct().ToList();
        var households = targets.Select(t => t.HouseholdNumber).Where(n => n.Length > 0).Distinct().ToList();
        return await db.Suppressions.AsNoTracking()
            .Where(s => s.Active)
            .Where(s => (s.ResidentNumber != "" && residents.Contains(s.ResidentNumber)) || (s.HouseholdNumber != "" && households.Contains(s.HouseholdNumber)))
            .ToListAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<Suppression>> InForceAsync(List<Suppression> active, Caller caller, SuppressedProcesses process, CancellationToken cancellationToken)
    {
        var today = JapanTime.Today(time);
        var found = active.Where(s => s.StartsOn <= today && (s.Processes & process) != 0).ToList();
        if (found.Count == 0)
        {
            return found;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var ids = found.Select(s => s.Id).ToList();
        var staff = caller.StaffId;
        var released = await db.SuppressionReleases.AsNoTracking()
            .Where(r => ids.Contains(r.SuppressionId) && r.ExpiresAt > now && (r.ForStaff == "" || r.ForStaff == staff))
            .Select(r => r.SuppressionId)
            .ToListAsync(cancellationToken);
        return found.Where(s => !released.Contains(s.Id)).ToList();
    }

    /// <summary>The residents whose data this process may not show now (エラー 抑止 not released).</summary>
    public async Task<HashSet<string>> BlockedAsync(Caller caller, IReadOnlyCollection<ProtectionTarget> targets, SuppressedProcesses process, CancellationToken cancellationToken)
    {
        var inForce = (await InForceAsync(caller, targets, process, cancellationToken)).Where(s => s.Level == SuppressionLevel.Error).ToList();
        return targets
            .Where(t => inForce.Any(s => (s.ResidentNumber.Length > 0 && s.ResidentNumber == t.ResidentNumber) || (s.HouseholdNumber.Length > 0 && s.HouseholdNumber == t.HouseholdNumber)))
            .Select(t => t.ResidentNumber)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The residents with any active 抑止 (so that search results show it, 3.1).</summary>
    public async Task<HashSet<string>> MarkedAsync(IReadOnlyCollection<ProtectionTarget> targets, CancellationToken cancellationToken)
    {
        var active = await ActiveAsync(targets, cancellationToken);
        return targets
            .Where(t => active.Any(s => (s.ResidentNumber.Length > 0 && s.ResidentNumber == t.ResidentNumber) || (s.HouseholdNumber.Length > 0 && s.HouseholdNumber == t.HouseholdNumber)))
            .Select(t => t.ResidentNumber)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static string Describe(SuppressedProcesses process) => process switch
    {
        SuppressedProcesses.Idou => "異動",
        SuppressedProcesses.Issuance => "証明書の発行",
        _ => "照会",
    };
}
