using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Security;
using PendingState = SharedResidentSystem.Core.Storage.PendingState;
using PendingIdou = SharedResidentSystem.Contracts.Registration.V1.PendingIdou;
using SharedResidentSystem.Server.Common;
using StoredPendingIdou = SharedResidentSystem.Core.Storage.PendingIdou;

namespace SharedResidentSystem.Server.Registration;

/// <summary>審査・決裁 (4.0.8): the pending 異動 of the caller's city, approved by a supervisor.</summary>
[Authorize(Roles = $"{Roles.Clerk},{Roles.Supervisor}")]
public sealed class ReviewGrpcService(CallerContext callers, PendingIdouStore store, AuditedCalls audited) : ReviewService.ReviewServiceBase
{
    public override Task<ListPendingIdouResponse> ListPendingIdou(ListPendingIdouRequest request, ServerCallContext context) =>
        audited.ReadAsync(context.Method, async ct =>
        {
            var list = await store.ListAsync(request.EnteredBy, request.EnteredTerminal, ct);
            var response = new ListPendingIdouResponse();
            response.PendingIdou.AddRange(list.Select(ToProto));
            return (response, new Touched(list.SelectMany(p => p.Targets.Split(',', StringSplitOptions.RemoveEmptyEntries)).Where(t => t.StartsWith("r:", StringComparison.Ordinal)).Select(t => t[2..]).ToList()));
        }, context.CancellationToken);

    [Authorize(Roles = Roles.Supervisor)]
    public override Task<ApprovePendingIdouResponse> ApprovePendingIdou(ApprovePendingIdouRequest request, ServerCallContext context) =>
        audited.WriteAsync(context.Method, request, request.RequestId, ApprovePendingIdouResponse.Parser,
            ct => store.ApproveAsync(callers.Required, request.PendingIdou, ct), context.CancellationToken);

    public override Task<PendingIdou> DiscardPendingIdou(DiscardPendingIdouRequest request, ServerCallContext context) =>
        audited.WriteAsync(context.Method, request, request.RequestId, PendingIdou.Parser, async ct =>
        {
            var pending = await store.DiscardAsync(callers.Required, request.PendingIdou, ct);
            return (ToProto(pending), Touched.Nothing);
        }, context.CancellationToken);

    private static PendingIdou ToProto(StoredPendingIdou p)
    {
        var targets = p.Targets.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var message = new PendingIdou
        {
            Name = PendingIdouStore.Name(p),
            Kind = p.Kind,
            Reason = p.Reason,
            State = p.State switch
            {
                PendingState.Pending => PendingIdouState.Pending,
                PendingState.Approved => PendingIdouState.Approved,
                _ => PendingIdouState.Discarded,
            },
            EnteredBy = p.StaffId,
            EnteredTerminal = p.TerminalId,
            EnteredAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(p.EnteredAt, DateTimeKind.Utc)),
            Preview = RecordIdouResponse.Parser.ParseFrom(p.Preview),
            Idou = p.IdouId is { } id ? Core.Tenancy.TenantResourceNames.Idou(p.TenantCode, id) : "",
            Etag = PendingIdouStore.ETag(p),
        };
        message.Residents.AddRange(targets.Where(t => t.StartsWith("r:", StringComparison.Ordinal)).Select(t => Core.Tenancy.TenantResourceNames.Resident(p.TenantCode, t[2..])));
        message.Households.AddRange(targets.Where(t => t.StartsWith("h:", StringComparison.Ordinal)).Select(t => Core.Tenancy.TenantResourceNames.Household(p.TenantCode, t[2..])));
        return message;
    }
}
