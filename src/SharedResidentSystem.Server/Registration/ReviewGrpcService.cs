using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Security;
using PendingState = SharedResidentSystem.Core.Storage.PendingState;
using PendingIdou = SharedResidentSystem.Contracts.Registration.V1.PendingIdou;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;
using StoredPendingIdou = SharedResidentSystem.Core.Storage.PendingIdou;

namespace SharedResidentSystem.Server.Registration;

/// <summary>審査・決裁 (4.0.8): the pending 異動 of the caller's city, approved by a supervisor.</summary>
public sealed class ReviewGrpcService(CallerContext callers, PendingIdouStore store, CallRecord record) : ReviewService.ReviewServiceBase
{
    public override async Task<ListPendingIdouResponse> ListPendingIdou(ListPendingIdouRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var size = PageTokens.Size(request.PageSize);
        var (list, next) = PageTokens.Page(request, await store.ListAsync(request.EnteredBy, request.EnteredTerminal, PageTokens.After(request, request.PageToken), size + 1, ct), size, p => p.Id);
        var response = new ListPendingIdouResponse { NextPageToken = next };
        response.PendingIdou.AddRange(list.Select(ToProto));
        return record.Answer(response, new Touched(list.SelectMany(p => p.Targets.Split(',', StringSplitOptions.RemoveEmptyEntries)).Where(t => t.StartsWith("r:", StringComparison.Ordinal)).Select(t => t[2..]).ToList()));
    }

    public override async Task<ApprovePendingIdouResponse> ApprovePendingIdou(ApprovePendingIdouRequest request, ServerCallContext context)
    {
        var (response, touched) = await store.ApproveAsync(callers.Required, request.PendingIdou, context.CancellationToken);
        return record.Answer(response, touched);
    }

    public override async Task<PendingIdou> DiscardPendingIdou(DiscardPendingIdouRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var pending = await store.DiscardAsync(callers.Required, request.PendingIdou, ct);
        return ToProto(pending);
    }

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
