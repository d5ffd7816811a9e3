using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Link;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Core.Protection;

/// <summary>A new 抑止 as the supervisor sets it.</summary>
public sealed record SuppressionCommand(
    string ResidentNumber, string HouseholdNumber, SuppressedProcesses Processes, SuppressionLevel? Level,
    SuppressionCategory? Category, string Reason, DateOnly? StartsOn, DateOnly? EndsOn);

/// <summary>
/// 抑止 (3.1): setting, lifting and 一時解除 by a supervisor; the 抑止 of a 支援措置 are added and
/// lifted by <see cref="SupportMeasures"/>. Runs inside the caller's transaction; every call is
/// logged by the pipeline.
/// </summary>
public sealed class Suppressions(SrsDbContext db, NumberIssuer numbers, TimeProvider time, RemovedRecordsArchive? archive = null)
{
    public const int DefaultReleaseMinutes = 30;
    public const int MaxReleaseMinutes = 480;

    public async Task<Suppression> CreateSuppressionAsync(Caller caller, SuppressionCommand command, CancellationToken cancellationToken)
    {
        var v = new Violations();
        if ((command.ResidentNumber.Length > 0) == (command.HouseholdNumber.Length > 0))
        {
            v.Add("suppression.resident", "住民か世帯のどちらか一方を指定してください。");
        }
        if (command.Processes == SuppressedProcesses.None)
        {
            v.Add("suppression.processes", "抑止する処理 (異動・発行・照会) を一つ以上選んでください。");
        }
        if (command.Level is null)
        {
            v.Add("suppression.level", "抑止レベル (エラー・アラート) を選んでください。");
        }
        if (command.Category is null)
        {
            v.Add("suppression.category", "抑止の種類を選んでください。");
        }
        else if (command.Category == SuppressionCategory.SupportMeasure)
        {
            v.Add("suppression.category", "支援措置の抑止は支援措置の登録で設定されます。");
        }
        v.Required("suppression.reason", command.Reason, "抑止の理由");
        if (command.StartsOn is null)
        {
            v.Add("suppression.starts_on", "開始日を入力してください。");
        }
        if (command.StartsOn is { } s && command.EndsOn is { } e && e < s)
        {
            v.Add("suppression.ends_on", "終了日が開始日より前です。");
        }
        v.ThrowIfAny();
        // A 除票 moved to the 除票用データベース (9.3) may be protected too: its certificates still are issued.
        if (command.ResidentNumber.Length > 0 && !await db.PersonVersions.AnyAsync(p => p.ResidentNumber == command.ResidentNumber, cancellationToken)
            && !(archive is not null && await archive.HoldsAsync(command.ResidentNumber, cancellationToken)))
        {
            throw DomainException.NotFound("住民", "suppression.resident");
        }
        if (command.HouseholdNumber.Length > 0 && !await db.PersonVersions.AnyAsync(p => p.HouseholdNumber == command.HouseholdNumber, cancellationToken)
            && !(archive is not null && await archive.Db.PersonVersions.AnyAsync(p => p.HouseholdNumber == command.HouseholdNumber, cancellationToken)))
        {
            throw DomainException.NotFound("世帯", "suppression.household");
        }
        return await AddSuppressionAsync(caller, command.ResidentNumber, command.HouseholdNumber, command.Processes, command.Level!.Value,
            command.Category!.Value, command.Reason.Trim(), command.StartsOn!.Value, command.EndsOn, null, cancellationToken);
    }

    public async Task<Suppression> LiftSuppressionAsync(long id, string etag, string reason, CancellationToken cancellationToken)
    {
        var suppression = await LoadSuppressionAsync(id, etag, cancellationToken);
        if (!suppression.Active)
        {
            throw ProtectionErrors.Rule("name", "この抑止は既に解除されています。");
        }
        if (suppression.SupportMeasureId is not null)
        {
            throw ProtectionErrors.Rule("name", "支援措置の抑止は支援措置の終了で解除されます。");
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw DomainException.Invalid(ErrorReasons.RequiredField, "reason", "解除の理由を入力してください。");
        }
        await LiftAsync(suppression, cancellationToken);
        return suppression;
    }

    /// <summary>一時解除 until now + minutes; the 抑止 applies again by itself after that.</summary>
    public async Task<(Suppression Suppression, SuppressionRelease Release)> ReleaseAsync(Caller caller, long id, int minutes, string forStaff, string reason, CancellationToken cancellationToken)
    {
        var v = new Violations();
        if (minutes is < 0 or > MaxReleaseMinutes)
        {
            v.Add("minutes", $"一時解除の時間は1分から{MaxReleaseMinutes}分までです。");
        }
        v.Required("reason", reason, "一時解除の理由");
        v.ThrowIfAny();
        var suppression = await LoadSuppressionAsync(id, "", cancellationToken);
        if (!suppression.Active)
        {
            throw ProtectionErrors.Rule("name", "解除済みの抑止は一時解除できません。");
        }
        var now = time.GetUtcNow().UtcDateTime;
        var release = new SuppressionRelease
        {
            TenantCode = caller.TenantCode,
            Id = await numbers.NextAsync(caller.TenantCode, NumberKinds.Release, cancellationToken),
            SuppressionId = suppression.Id,
            ReleasedBy = caller.StaffId,
            ForStaff = forStaff.Trim(),
            ReleasedAt = now,
            ExpiresAt = now.AddMinutes(minutes == 0 ? DefaultReleaseMinutes : minutes),
            Reason = reason.Trim(),
        };
        db.SuppressionReleases.Add(release);
        return (suppression, release);
    }

    public async Task<IReadOnlyList<(Suppression Suppression, IReadOnlyList<SuppressionRelease> Releases)>> ListSuppressionsAsync(bool includeLifted, long? after, int take, CancellationToken cancellationToken)
    {
        var list = await db.Suppressions.AsNoTracking().Where(s => includeLifted || s.Active).Where(s => after == null || s.Id > after)
            .OrderBy(s => s.Id).Take(take).ToListAsync(cancellationToken);
        var ids = list.Select(s => s.Id).ToList();
        var now = time.GetUtcNow().UtcDateTime;
        var releases = await db.SuppressionReleases.AsNoTracking().Where(r => ids.Contains(r.SuppressionId) && r.ExpiresAt > now).ToListAsync(cancellationToken);
        return list.Select(s => (s, (IReadOnlyList<SuppressionRelease>)releases.Where(r => r.SuppressionId == s.Id).ToList())).ToList();
    }

    public async Task<IReadOnlyList<SuppressionRelease>> ReleasesInForceAsync(long suppressionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await db.SuppressionReleases.AsNoTracking().Where(r => r.SuppressionId == suppressionId && r.ExpiresAt > now).ToListAsync(cancellationToken);
    }

    /// <summary>A 抑止 added to the unit of work (by a supervisor or for a 支援措置).</summary>
    internal async Task<Suppression> AddSuppressionAsync(Caller caller, string resident, string household, SuppressedProcesses processes, SuppressionLevel level,
        SuppressionCategory category, string reason, DateOnly startsOn, DateOnly? endsOn, long? measure, CancellationToken cancellationToken)
    {
        var suppression = new Suppression
        {
            TenantCode = caller.TenantCode,
            Id = await numbers.NextAsync(caller.TenantCode, NumberKinds.Suppression, cancellationToken),
            ResidentNumber = resident,
            HouseholdNumber = household,
            Processes = processes,
            Level = level,
            Category = category,
            Reason = reason,
            StartsOn = startsOn,
            EndsOn = endsOn,
            Active = true,
            SupportMeasureId = measure,
            CreatedBy = caller.StaffId,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            ConcurrencyStamp = Guid.NewGuid(),
        };
        db.Suppressions.Add(suppression);
        await FeedAsync(suppression, LinkFeed.Set, cancellationToken);
        return suppression;
    }

    /// <summary>
    /// Lifts every 抑止 in force on residents whose records are deleted at the end of their
    /// retention (9.3): nobody is left for them to protect. Returns how many.
    /// </summary>
    public async Task<int> LiftForDeletedAsync(IReadOnlyCollection<string> residents, CancellationToken cancellationToken)
    {
        var active = await db.Suppressions.Where(s => s.Active && residents.Contains(s.ResidentNumber)).ToListAsync(cancellationToken);
        foreach (var suppression in active)
        {
            await LiftAsync(suppression, cancellationToken);
        }
        return active.Count;
    }

    /// <summary>Lifts a 抑止 from now on.</summary>
    internal async Task LiftAsync(Suppression suppression, CancellationToken cancellationToken)
    {
        suppression.Active = false;
        suppression.LiftedAt = time.GetUtcNow().UtcDateTime;
        suppression.ConcurrencyStamp = Guid.NewGuid();
        await FeedAsync(suppression, LinkFeed.Lifted, cancellationToken);
    }

    /// <summary>3.2: the city's other systems learn of every 抑止 set or lifted, in the same transaction.</summary>
    private Task FeedAsync(Suppression suppression, string change, CancellationToken cancellationToken) =>
        LinkFeed.AddProtectionAsync(db, numbers, suppression.TenantCode, suppression.ResidentNumber, suppression.HouseholdNumber,
            suppression.SupportMeasureId is null ? LinkFeed.Suppression : LinkFeed.SupportMeasure, change,
            time.GetUtcNow().UtcDateTime, JapanTime.Today(time), cancellationToken);

    private async Task<Suppression> LoadSuppressionAsync(long id, string etag, CancellationToken cancellationToken)
    {
        var suppression = await db.Suppressions.SingleOrDefaultAsync(s => s.Id == id, cancellationToken) ?? throw DomainException.NotFound("抑止", "name");
        ProtectionErrors.CheckETag(etag, suppression.ConcurrencyStamp);
        return suppression;
    }
}
