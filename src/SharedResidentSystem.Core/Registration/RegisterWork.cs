using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Japanese;

namespace SharedResidentSystem.Core.Registration;

/// <summary>
/// The working state of one 異動 inside its transaction: the current versions it read, the
/// new versions it will write, and the rules every 異動 shares (the 世帯主不在 rule of 4.0.4,
/// the recording of the 異動 itself with its before/after summary).
/// </summary>
internal sealed class RegisterWork(SrsDbContext db, NumberIssuer numbers, Protection.ProtectionGate gate, Caller caller, string requestId, IReadOnlyList<string> acknowledged, TenantDefinition tenant, TimeProvider time, IdouEntry entry,
    RemovedRecordsArchive? archive = null)
{
    private readonly Dictionary<string, PersonVersion> _current = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PersonVersion> _written = new(StringComparer.Ordinal);
    private List<(long Id, string Targets)>? _pending;

    /// <summary>
    /// A 異動 shows the residents it touches in its answer, so it is held to the 抑止 of reads as
    /// well as its own (3.1, 3.4): a clerk who may not read a protected person may not change them
    /// either, without the same 一時解除 or acknowledged alert.
    /// </summary>
    private const SuppressedProcesses Gated = SuppressedProcesses.Idou | SuppressedProcesses.Inquiry;

    public DateOnly Today { get; } = JapanTime.Today(time);

    public DateTime Now { get; } = time.GetUtcNow().UtcDateTime;

    public Caller Caller => caller;

    public TenantDefinition Tenant => tenant;

    public NumberIssuer Numbers => numbers;

    /// <summary>
    /// Why a resident named is not in the register: unknown, or a 除票 moved to the 除票用データベース
    /// (9.3), which no 異動 changes there (it is brought back first).
    /// </summary>
    public async Task<DomainException> NotFoundAsync(string residentNumber, string field, CancellationToken cancellationToken)
    {
        if (archive is null || !await archive.HoldsAsync(residentNumber, cancellationToken))
        {
            return DomainException.NotFound("住民", field);
        }
        var message = $"宛名番号 {residentNumber} は除票用データベースに移行した除票です。照会と証明はできますが、異動・抑止などで記録を変えるには先に除票を戻してください。";
        return new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.ResidentArchived, message, [new FieldViolation(field, message)]);
    }

    /// <summary>The newest version of a resident (its current state), or null.</summary>
    public async Task<PersonVersion?> CurrentAsync(string residentNumber, CancellationToken cancellationToken)
    {
        if (_current.TryGetValue(residentNumber, out var known))
        {
            return known;
        }
        var current = await db.PersonVersions.AsNoTracking()
            .Where(p => p.ResidentNumber == residentNumber)
            .OrderByDescending(p => p.HistoryNumber)
            .FirstOrDefaultAsync(cancellationToken);
        if (current is not null)
        {
            _current[residentNumber] = current;
        }
        return current;
    }

    /// <summary>A resident named by the clerk: it must exist, match the etag sent, and (by default) be a 住民.</summary>
    public async Task<PersonVersion> ResidentAsync(ResidentRefValue reference, string field, CancellationToken cancellationToken, bool mustBeActive = true)
    {
        var current = await CurrentAsync(reference.ResidentNumber, cancellationToken)
            ?? throw await NotFoundAsync(reference.ResidentNumber, field, cancellationToken);
        if (reference.ETag.Length > 0 && reference.ETag != current.ETag)
        {
            throw new DomainException(ErrorKind.Aborted, ErrorReasons.StaleEtag,
                $"{current.FamilyName} {current.GivenName} さんはほかの処理で更新されています。読み直してからやり直してください。",
                [new FieldViolation($"{field}.etag", "etag が最新ではありません。")]);
        }
        await EnsureNotPendingAsync($"r:{current.ResidentNumber}", field, cancellationToken);
        await EnsureNotPendingAsync($"h:{current.HouseholdNumber}", field, cancellationToken);
        await gate.EnforceAsync(caller, [new Protection.ProtectionTarget(current.ResidentNumber, current.HouseholdNumber)], Gated, acknowledged, field, cancellationToken);
        if (mustBeActive && current.State != ResidentState.Active)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.ResidentRemoved,
                $"{current.FamilyName} {current.GivenName} さんは除票です (消除事由: {current.RemovalReason})。",
                [new FieldViolation(field, "除票の住民にはこの異動はできません。")]);
        }
        return current;
    }

    /// <summary>
    /// 4.0.8: while a 異動 of a resident or household waits in 仮登録, no other 異動 may touch
    /// them (the one being approved excepted).
    /// </summary>
    private async Task EnsureNotPendingAsync(string target, string field, CancellationToken cancellationToken)
    {
        _pending ??= (await db.PendingIdous.AsNoTracking()
                .Where(p => p.State == PendingState.Pending)
                .Select(p => new { p.Id, p.Targets })
                .ToListAsync(cancellationToken))
            .Where(p => p.Id != entry.ApprovingPendingId)
            .Select(p => (p.Id, p.Targets))
            .ToList();
        var blocking = _pending.FirstOrDefault(p => p.Targets.Contains("," + target + ",", StringComparison.Ordinal));
        if (blocking.Targets is not null)
        {
            var message = $"仮登録中の異動 (番号 {blocking.Id}) があります。本登録または取消の後で処理してください。";
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.PendingIdou, message, [new FieldViolation(field, message)]);
        }
    }

    /// <summary>The current members (住民) of a household; empty when it has none.</summary>
    public async Task<List<PersonVersion>> HouseholdAsync(string householdNumber, CancellationToken cancellationToken, string field = "household")
    {
        await EnsureNotPendingAsync($"h:{householdNumber}", field, cancellationToken);
        await gate.EnforceAsync(caller, [new Protection.ProtectionTarget("", householdNumber)], Gated, acknowledged, field, cancellationToken);
        var members = await db.PersonVersions.AsNoTracking()
            .Where(p => p.HouseholdNumber == householdNumber && p.State == ResidentState.Active)
            .Where(p => !db.PersonVersions.Any(o => o.ResidentNumber == p.ResidentNumber && o.HistoryNumber > p.HistoryNumber))
            .ToListAsync(cancellationToken);
        foreach (var member in members)
        {
            _current.TryAdd(member.ResidentNumber, member);
        }
        return members.Select(m => _current[m.ResidentNumber]).ToList();
    }

    /// <summary>The next version of a resident this 異動 writes (one per resident).</summary>
    public PersonVersion Next(PersonVersion current)
    {
        if (_written.TryGetValue(current.ResidentNumber, out var already))
        {
            return already;
        }
        var next = PersonMapping.NextVersion(current);
        _written[current.ResidentNumber] = next;
        return next;
    }

    /// <summary>A new person's first version.</summary>
    public void Add(PersonVersion person) => _written[person.ResidentNumber] = person;

    public IReadOnlyCollection<PersonVersion> Written => _written.Values;

    /// <summary>
    /// 4.0.4: when the 世帯主 leaves, a single remaining member becomes 世帯主 by 職権; two or
    /// more remaining members stay without one, which needs the clerk's acknowledgement.
    /// </summary>
    public void ApplyHeadRule(IReadOnlyCollection<PersonVersion> members, IReadOnlyCollection<string> leaving, AlertCollector alerts, string field)
    {
        var head = members.FirstOrDefault(m => m.Relationship == Relationships.Head);
        if (head is null || !leaving.Contains(head.ResidentNumber))
        {
            return;
        }
        var remaining = members.Where(m => !leaving.Contains(m.ResidentNumber)).ToList();
        if (remaining.Count == 1)
        {
            Next(remaining[0]).Relationship = Relationships.Head;
        }
        else if (remaining.Count > 1)
        {
            alerts.Raise(AlertCodes.HeadAbsent, field,
                $"世帯主 {head.FamilyName} {head.GivenName} さんが世帯を離れ、{remaining.Count}人が世帯主不在で残ります。この後で世帯主変更をしてください。");
        }
    }

    /// <summary>4.0.4 for every household that the given residents leave.</summary>
    public async Task ApplyHeadRuleAsync(IReadOnlyCollection<PersonVersion> leavers, AlertCollector alerts, string field, CancellationToken cancellationToken)
    {
        var leaving = leavers.Select(l => l.ResidentNumber).ToHashSet();
        foreach (var household in leavers.Select(l => l.HouseholdNumber).Distinct())
        {
            ApplyHeadRule(await HouseholdAsync(household, cancellationToken, field), leaving, alerts, field);
        }
    }

    /// <summary>The resident's next version as a 除票 (消除事由 and its date).</summary>
    public void Remove(PersonVersion person, string reason, DateOnly? on)
    {
        var next = Next(person);
        next.State = ResidentState.Removed;
        next.RemovalReason = reason;
        next.RemovalOn = on;
        next.SpecialMoveOut = false;
    }

    /// <summary>
    /// The before/after summary keeps Japanese as written (not as \u escapes), so that a household's
    /// 異動 stays within the 異動の内容 item of the migration layout.
    /// </summary>
    private static readonly JsonSerializerOptions SummaryJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    /// <summary>Records the 異動 and every version it wrote; returns what was recorded.</summary>
    public async Task<IdouResult> RecordAsync(string reason, IdouHeader header, DateOnly occurredOn, DateOnly validFrom,
        AlertCollector alerts, string note, string primaryHousehold, CancellationToken cancellationToken, long? cancels = null, string? category = null, string specialReason = "")
    {
        // 3.4: a recorded 加害者 anywhere in the request (as 届出人 or as a person recorded) stops
        // the 異動 until the clerk acknowledges it; the refused attempt is logged with the residents.
        var perpetrators = await gate.RecordedPerpetratorsAsync(cancellationToken);
        bool Named(Protection.RequesterValue someone) => perpetrators.Any(p => Protection.SupportMeasureRules.IsPerpetrator(p, someone));
        if (header.Notifier.Name.Trim().Length > 0 && Named(new Protection.RequesterValue(header.Notifier.Name.Trim(), "", null, "")))
        {
            alerts.Raise(AlertCodes.PerpetratorNamed, "notifier.name",
                "届出人が、支援措置の加害者として記録された人と一致します。本人確認と届出の内容を確かめてから処理してください。");
        }
        if (_written.Values.Any(p => Named(new Protection.RequesterValue($"{p.FamilyName} {p.GivenName}", $"{p.FamilyKana} {p.GivenKana}",
                new PartialDateValue(p.BirthYear, p.BirthMonth, p.BirthDay), p.ResidentNumber))))
        {
            alerts.Raise(AlertCodes.PerpetratorNamed, "residents",
                "この異動で記載する人が、支援措置の加害者として記録された人と一致します。本人確認と届出の内容を確かめてから処理してください。");
        }
        try
        {
            alerts.ThrowIfUnacknowledged();
            // The answer shows every person written: each is held to the 抑止 a read of them would
            // meet (a member made 世帯主 by 4.0.4, members whose 続柄 change …), not only those named.
            await gate.EnforceAsync(caller, _written.Values.Select(p => new Protection.ProtectionTarget(p.ResidentNumber, p.HouseholdNumber)).ToList(),
                Gated, acknowledged, "residents", cancellationToken);
        }
        catch (DomainException refused)
        {
            // Residents already on the record; numbers just drawn for new ones are not kept.
            throw refused.Concerning(_written.Keys.Where(_current.ContainsKey));
        }
        // 4.0.8: a 異動事由 the city reserves for 審査・決裁 is kept as 仮登録, never recorded
        // directly; decided here, before anything of it is written.
        if (entry.Mode == IdouEntryMode.Direct && tenant.ApprovalRequiredFor.Contains(reason))
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.ApprovalRequired,
                $"「{reason}」はこの団体では審査・決裁が必要です。仮登録 (provisional) で入力してください。",
                [new FieldViolation("provisional", "仮登録で入力してください。")]);
        }
        var idou = new Idou
        {
            TenantCode = caller.TenantCode,
            Id = await numbers.NextAsync(caller.TenantCode, NumberKinds.Idou, cancellationToken),
            // A reason that stands in two categories (改製) names its own.
            Category = category ?? IdouReason.Of(reason).Category,
            Reason = reason,
            OccurredOn = occurredOn,
            NotifiedOn = header.NotificationDate,
            RecordedAt = Now,
            NotifierName = header.Notifier.Name.Trim(),
            NotifierRelation = header.Notifier.Relation.Trim(),
            StaffId = caller.StaffId,
            TerminalId = caller.TerminalId,
            RequestId = requestId,
            State = IdouState.Final,
            AcknowledgedAlerts = alerts.AcknowledgedText,
            CancelsIdouId = cancels,
            Note = note,
            SpecialReason = specialReason,
            Basis = IdouBasis.Of(reason, header.Basis),
        };
        var summary = new List<ChangeSummary>();
        foreach (var person in _written.Values)
        {
            person.IdouId = idou.Id;
            person.ValidFrom = validFrom;
            person.RecordedAt = Now;
            person.ETag = PersonMapping.NewETag();
            PersonMapping.RefreshSearchKeys(person);
            _current.TryGetValue(person.ResidentNumber, out var before);
            summary.AddRange(PersonDiff.Changes(before, person));
            db.PersonVersions.Add(person);
            db.PersonSearchKeys.AddRange(PersonMapping.SearchKeys(person).Select(key => new PersonSearchKey
            {
                TenantCode = person.TenantCode,
                Key = key,
                ResidentNumber = person.ResidentNumber,
                HistoryNumber = person.HistoryNumber,
            }));
        }
        idou.Summary = JsonSerializer.Serialize(summary, SummaryJson);
        db.Idous.Add(idou);
        await ImmigrationNotices.AddAsync(db, numbers, idou, _written.Values, _current, Now, Today, cancellationToken);
        await Cs.CsOutbox.AddAsync(db, numbers, idou, _written.Values, _current, Now, Today, cancellationToken);
        await Link.LinkFeed.AddIdouAsync(db, numbers, idou, _written.Values, Now, Today, cancellationToken);
        var households = _written.Values.Select(p => p.HouseholdNumber)
            .Concat(_current.Values.Where(c => _written.ContainsKey(c.ResidentNumber)).Select(c => c.HouseholdNumber))
            .Where(h => h.Length > 0).Distinct().ToList();
        return new IdouResult(idou.Id, reason, primaryHousehold, _written.Values.ToList(), households);
    }
}
