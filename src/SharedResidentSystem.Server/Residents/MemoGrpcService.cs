using System.Globalization;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Protection;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using MemoVersion = SharedResidentSystem.Contracts.Residents.V1.MemoVersion;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;
using StoredMemo = SharedResidentSystem.Core.Storage.MemoVersion;

namespace SharedResidentSystem.Server.Residents;

/// <summary>メモ (1.1.15): versioned notes with author and time, under the same 抑止 as the record.</summary>
public sealed class MemoGrpcService(CallerContext callers, SrsDbContext db, NumberIssuer numbers, ResidentQueries queries, ProtectionGate gate, CallRecord record, TimeProvider time) : MemoService.MemoServiceBase
{
    public const int MaxLength = 2000;

    public override async Task<Memo> AddMemo(AddMemoRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var number = await ResidentAsync(request.Resident, "resident", SuppressedProcesses.Idou, ct);
        CheckText(request.Text);
        var memo = new StoredMemo
        {
            TenantCode = caller.TenantCode,
            MemoId = await numbers.NextAsync(caller.TenantCode, NumberKinds.Memo, ct),
            Version = 1,
            ResidentNumber = number,
            Text = request.Text.Trim(),
            StaffId = caller.StaffId,
            At = time.GetUtcNow().UtcDateTime,
        };
        db.Memos.Add(memo);
        return record.Answer(ToProto([memo], false), new Touched([number]));
    }

    public override async Task<Memo> UpdateMemo(UpdateMemoRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        CheckText(request.Text);
        var (history, next) = await NextVersionAsync(request.Name, request.Etag, ct);
        next.Text = request.Text.Trim();
        return record.Answer(ToProto([.. history, next], false), new Touched([next.ResidentNumber]));
    }

    public override async Task<Memo> DeleteMemo(DeleteMemoRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var (history, next) = await NextVersionAsync(request.Name, request.Etag, ct);
        next.Deleted = true;
        return record.Answer(ToProto([.. history, next], false), new Touched([next.ResidentNumber]));
    }

    public override async Task<ListMemosResponse> ListMemos(ListMemosRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var number = await ResidentAsync(request.Resident, "resident", SuppressedProcesses.Inquiry, ct);
        var versions = await db.Memos.AsNoTracking().Where(m => m.ResidentNumber == number).ToListAsync(ct);
        var response = new ListMemosResponse();
        foreach (var memo in versions.GroupBy(m => m.MemoId).OrderBy(g => g.Key))
        {
            var ordered = memo.OrderBy(m => m.Version).ToList();
            if (ordered[^1].Deleted && !request.IncludeHistory)
            {
                continue;
            }
            response.Memos.Add(ToProto(ordered, request.IncludeHistory));
        }
        return record.Answer(response, new Touched([number]));
    }

    private async Task<string> ResidentAsync(string name, string field, SuppressedProcesses process, CancellationToken ct)
    {
        var caller = callers.Required;
        var number = ProtoMapping.OwnId(name, "residents", caller.TenantCode, field, "住民");
        var person = await queries.GetAsync(number, null, null, ct) ?? throw DomainException.NotFound("住民", field);
        await gate.EnforceAsync(caller, [new ProtectionTarget(number, person.HouseholdNumber)], process, [], field, ct);
        return number;
    }

    private async Task<(List<StoredMemo> History, StoredMemo Next)> NextVersionAsync(string name, string etag, CancellationToken ct)
    {
        var caller = callers.Required;
        var id = ProtoMapping.OwnNumericId(name, "memos", caller.TenantCode, "name", "メモ");
        var history = await db.Memos.AsNoTracking().Where(m => m.MemoId == id).OrderBy(m => m.Version).ToListAsync(ct);
        if (history.Count == 0)
        {
            throw DomainException.NotFound("メモ", "name");
        }
        var current = history[^1];
        if (current.Deleted)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.RecordRule, "このメモは削除されています。", [new FieldViolation("name", "削除済みです。")]);
        }
        if (etag.Length > 0 && etag != current.Version.ToString(CultureInfo.InvariantCulture))
        {
            throw new DomainException(ErrorKind.Aborted, ErrorReasons.StaleEtag, "メモがほかの処理で変わっています。", [new FieldViolation("etag", "etag が最新ではありません。")]);
        }
        await ResidentAsync(TenantResourceNames.Resident(caller.TenantCode, current.ResidentNumber), "name", SuppressedProcesses.Idou, ct);
        var next = new StoredMemo
        {
            TenantCode = caller.TenantCode,
            MemoId = id,
            Version = current.Version + 1,
            ResidentNumber = current.ResidentNumber,
            Text = current.Text,
            StaffId = caller.StaffId,
            At = time.GetUtcNow().UtcDateTime,
        };
        db.Memos.Add(next);
        return (history, next);
    }

    private static void CheckText(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength)
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "text", $"メモは1文字以上{MaxLength}文字以内で入力してください。");
        }
    }

    private static Memo ToProto(IReadOnlyList<StoredMemo> versions, bool withHistory)
    {
        static MemoVersion Version(StoredMemo m) => new()
        {
            Version = m.Version,
            Text = m.Text,
            Deleted = m.Deleted,
            Staff = m.StaffId,
            At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(m.At, DateTimeKind.Utc)),
        };
        var current = versions[^1];
        var memo = new Memo
        {
            Name = $"{TenantResourceNames.Prefix}{current.TenantCode}/memos/{current.MemoId}",
            Resident = TenantResourceNames.Resident(current.TenantCode, current.ResidentNumber),
            Current = Version(current),
            Etag = current.Version.ToString(CultureInfo.InvariantCulture),
        };
        if (withHistory)
        {
            memo.History.AddRange(versions.Select(Version));
        }
        return memo;
    }
}
