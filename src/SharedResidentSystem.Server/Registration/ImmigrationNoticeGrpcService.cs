using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Japanese;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;

namespace SharedResidentSystem.Server.Registration;

/// <summary>市町村通知 to 入管 (4.5.7): the queue the sending system works from (operator).</summary>
public sealed class ImmigrationNoticeGrpcService(CallerContext callers, SrsDbContext db, CallRecord record, TimeProvider time) : ImmigrationNoticeService.ImmigrationNoticeServiceBase
{
    public override async Task<ListImmigrationNoticesResponse> ListImmigrationNotices(ListImmigrationNoticesRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var state = request.State switch
        {
            ImmigrationNoticeState.Sent => OutboxState.Sent,
            ImmigrationNoticeState.Failed => OutboxState.Failed,
            _ => OutboxState.Pending,
        };
        var today = JapanTime.Today(time);
        var query = db.Outbox.AsNoTracking().Where(m => m.Topic == ImmigrationNotices.Topic && m.State == state);
        if (request.DueOnly)
        {
            query = query.Where(m => m.NotBefore <= today);
        }
        var size = PageTokens.Size(request.PageSize);
        if (PageTokens.After(request, request.PageToken) is { } after)
        {
            query = query.Where(m => m.Id > after);
        }
        var (notices, next) = PageTokens.Page(request, await query.OrderBy(m => m.Id).Take(size + 1).ToListAsync(ct), size, m => m.Id);
        var response = new ListImmigrationNoticesResponse { NextPageToken = next };
        response.Notices.AddRange(notices.Select(ToProto));
        return record.Answer(response, new Touched(notices.Select(n => n.ResidentNumber).Distinct().ToList()));
    }

    public override async Task<ListImmigrationNoticesResponse> RecordImmigrationNoticeResults(RecordImmigrationNoticeResultsRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var response = new ListImmigrationNoticesResponse();
        for (var i = 0; i < request.Results.Count; i++)
        {
            var result = request.Results[i];
            var notice = await LoadAsync(result.Name, $"results[{i}].name", ct);
            if (notice.State != OutboxState.Pending)
            {
                throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.RecordRule, "送信待ちではない通知です。", [new FieldViolation($"results[{i}].name", "送信待ちではありません。")]);
            }
            if (!result.Accepted && string.IsNullOrWhiteSpace(result.Error))
            {
                throw DomainException.Invalid(ErrorReasons.RequiredField, $"results[{i}].error", "受理されなかった通知にはエラーの内容を入力してください。");
            }
            notice.State = result.Accepted ? OutboxState.Sent : OutboxState.Failed;
            notice.SentAt = time.GetUtcNow().UtcDateTime;
            notice.Result = result.Accepted ? "OK" : result.Error.Trim();
            notice.ConcurrencyStamp = Guid.NewGuid();
            response.Notices.Add(ToProto(notice));
        }
        return response;
    }

    public override async Task<ImmigrationNotice> ResendImmigrationNotice(ResendImmigrationNoticeRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var notice = await LoadAsync(request.Name, "name", ct);
        if (notice.State == OutboxState.Pending)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.RecordRule, "この通知はまだ送信待ちです。", [new FieldViolation("name", "送信待ちです。")]);
        }
        notice.State = OutboxState.Pending;
        notice.ConcurrencyStamp = Guid.NewGuid();
        return ToProto(notice);
    }

    private async Task<OutboxMessage> LoadAsync(string name, string field, CancellationToken cancellationToken)
    {
        var id = ProtoMapping.OwnNumericId(name, "immigrationNotices", callers.Required.TenantCode, field, "通知");
        return await db.Outbox.SingleOrDefaultAsync(m => m.Id == id && m.Topic == ImmigrationNotices.Topic, cancellationToken) ?? throw DomainException.NotFound("通知", field);
    }

    private static ImmigrationNotice ToProto(OutboxMessage m) => new()
    {
        Name = $"{TenantResourceNames.Prefix}{m.TenantCode}/immigrationNotices/{m.Id}",
        Idou = TenantResourceNames.Idou(m.TenantCode, m.IdouId),
        Resident = TenantResourceNames.Resident(m.TenantCode, m.ResidentNumber),
        Category = m.Category,
        Reason = m.Reason,
        NotBefore = ProtoMapping.ToProto(m.NotBefore),
        State = m.State switch { OutboxState.Sent => ImmigrationNoticeState.Sent, OutboxState.Failed => ImmigrationNoticeState.Failed, _ => ImmigrationNoticeState.Pending },
        CreatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(m.CreatedAt, DateTimeKind.Utc)),
        SentAt = m.SentAt is { } sent ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(sent, DateTimeKind.Utc)) : null,
        Result = m.Result,
        Etag = m.ConcurrencyStamp.ToString("N"),
    };
}
