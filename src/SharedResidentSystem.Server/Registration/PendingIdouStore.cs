using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Common;
using StoredPendingIdou = SharedResidentSystem.Core.Storage.PendingIdou;

namespace SharedResidentSystem.Server.Registration;

/// <summary>
/// 仮登録 and 本登録 (4.0.8). A 仮登録 runs the 異動 to check it, keeps the request and what it
/// would record, and throws the changes away; 本登録 runs the kept request again as the clerk
/// entered it, so the register only ever holds decided data.
/// </summary>
public sealed class PendingIdouStore(SrsDbContext db, NumberIssuer numbers, RegistrationDispatch dispatch, TimeProvider time)
{
    public const int MaxApprovals = 100;

    /// <summary>Keeps a checked 異動 as 仮登録 instead of recording it (called inside the write's transaction).</summary>
    public async Task<(RecordIdouResponse Response, Touched Touched)> KeepAsync(Caller caller, string method, IMessage request, IdouResult result, CancellationToken cancellationToken)
    {
        var preview = ProtoMapping.ToProto(caller.TenantCode, result);
        preview.Idou = "";
        foreach (var fresh in preview.Residents.Where(r => r.HistoryNumber == 1))
        {
            // A new resident's numbers are given on 本登録.
            fresh.Name = "";
            fresh.ResidentNumber = "";
            fresh.Household = result.Persons.Any(p => p.HistoryNumber > 1 && p.HouseholdNumber == fresh.Household.Split('/')[^1]) ? fresh.Household : "";
        }
        var existing = result.Persons.Where(p => p.HistoryNumber > 1).ToList();
        var targets = existing.Select(p => "r:" + p.ResidentNumber)
            .Concat(existing.Select(p => "h:" + p.HouseholdNumber))
            .Concat(result.Households.Where(h => existing.Any(p => p.HouseholdNumber == h) || result.Persons.All(p => p.HouseholdNumber != h)).Select(h => "h:" + h))
            .Distinct()
            .ToList();
        // Nothing of the checked 異動 is written: not its versions, not the numbers it took.
        db.ChangeTracker.Clear();
        var pending = new StoredPendingIdou
        {
            TenantCode = caller.TenantCode,
            Id = await numbers.NextAsync(caller.TenantCode, NumberKinds.Pending, cancellationToken),
            Kind = method[(method.LastIndexOf('/') + 1)..],
            Reason = result.Reason,
            RequestType = request.Descriptor.FullName,
            Request = request.ToByteArray(),
            Targets = "," + string.Join(',', targets) + ",",
            State = PendingState.Pending,
            StaffId = caller.StaffId,
            TerminalId = caller.TerminalId,
            EnteredAt = time.GetUtcNow().UtcDateTime,
            ConcurrencyStamp = Guid.NewGuid(),
        };
        preview.PendingIdou = Name(pending);
        pending.Preview = preview.ToByteArray();
        db.PendingIdous.Add(pending);
        return (preview, new Touched(existing.Select(p => p.ResidentNumber).ToList()));
    }

    public async Task<IReadOnlyList<StoredPendingIdou>> ListAsync(string enteredBy, string enteredTerminal, long? after, int take, CancellationToken cancellationToken)
    {
        var query = db.PendingIdous.AsNoTracking().Where(p => p.State == PendingState.Pending);
        if (enteredBy.Length > 0)
        {
            query = query.Where(p => p.StaffId == enteredBy);
        }
        if (enteredTerminal.Length > 0)
        {
            query = query.Where(p => p.TerminalId == enteredTerminal);
        }
        if (after is { } last)
        {
            query = query.Where(p => p.Id > last);
        }
        return await query.OrderBy(p => p.Id).Take(take).ToListAsync(cancellationToken);
    }

    /// <summary>本登録 of each, in order, inside the caller's transaction: all are recorded or none.</summary>
    public async Task<(ApprovePendingIdouResponse Response, Touched Touched)> ApproveAsync(Caller caller, IReadOnlyList<PendingIdouRef> refs, CancellationToken cancellationToken)
    {
        if (refs.Count is 0 or > MaxApprovals)
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "pending_idou", $"本登録する仮登録を1件から{MaxApprovals}件まで指定してください。");
        }
        var response = new ApprovePendingIdouResponse();
        var touched = new List<string>();
        for (var i = 0; i < refs.Count; i++)
        {
            var pending = await LoadAsync(caller, refs[i], $"pending_idou[{i}]", cancellationToken);
            if (pending.StaffId == caller.StaffId)
            {
                // 審査・決裁 is a second person's check.
                throw new DomainException(ErrorKind.PermissionDenied, ErrorReasons.SamePerson, "自分で入力した仮登録は本登録できません。別の決裁者が本登録してください。",
                    [new FieldViolation($"pending_idou[{i}].name", "入力者と決裁者が同じです。")]);
            }
            var request = RegistrationDispatch.Parse(pending.RequestType, pending.Request);
            // Recorded as the clerk entered it: the clerk and terminal of the 仮登録, today as 処理日.
            var clerk = new Caller(caller.TenantCode, pending.StaffId, pending.TerminalId, new HashSet<string> { Roles.Clerk });
            dispatch.Register.Entry = IdouEntry.Approving(pending.Id);
            IdouResult result;
            try
            {
                result = await dispatch.ExecuteAsync(clerk, request, cancellationToken);
            }
            finally
            {
                dispatch.Register.Entry = IdouEntry.Direct;
            }
            pending.State = PendingState.Approved;
            pending.IdouId = result.IdouId;
            pending.ConcurrencyStamp = Guid.NewGuid();
            // Later approvals of the same batch read what this one recorded.
            await db.SaveChangesAsync(cancellationToken);
            response.Recorded.Add(ProtoMapping.ToProto(caller.TenantCode, result));
            touched.AddRange(result.Persons.Select(p => p.ResidentNumber));
        }
        return (response, new Touched(touched));
    }

    public async Task<StoredPendingIdou> DiscardAsync(Caller caller, PendingIdouRef reference, CancellationToken cancellationToken)
    {
        var pending = await LoadAsync(caller, reference, "pending_idou", cancellationToken);
        pending.State = PendingState.Discarded;
        pending.ConcurrencyStamp = Guid.NewGuid();
        return pending;
    }

    public static string Name(StoredPendingIdou pending) =>
        $"{TenantResourceNames.Prefix}{pending.TenantCode}/pendingIdou/{pending.Id}";

    public static string ETag(StoredPendingIdou pending) => pending.ConcurrencyStamp.ToString("N");

    private async Task<StoredPendingIdou> LoadAsync(Caller caller, PendingIdouRef? reference, string field, CancellationToken cancellationToken)
    {
        var id = ProtoMapping.OwnNumericId(reference?.Name ?? "", "pendingIdou", caller.TenantCode, $"{field}.name", "仮登録");
        var pending = await db.PendingIdous.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (pending is null)
        {
            throw DomainException.NotFound("仮登録", $"{field}.name");
        }
        if (pending.State != PendingState.Pending)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.PendingIdouDecided,
                pending.State == PendingState.Approved ? "この仮登録は本登録済みです。" : "この仮登録は取り消されています。",
                [new FieldViolation($"{field}.name", "決裁済みです。")]);
        }
        if (!string.IsNullOrEmpty(reference!.Etag) && reference.Etag != ETag(pending))
        {
            throw new DomainException(ErrorKind.Aborted, ErrorReasons.StaleEtag, "仮登録がほかの処理で変わっています。読み直してください。",
                [new FieldViolation($"{field}.etag", "etag が最新ではありません。")]);
        }
        return pending;
    }
}
