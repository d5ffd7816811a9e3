using Grpc.Core;
using SharedResidentSystem.Contracts.JukiNet.V1;

namespace SharedResidentSystem.CsEmulator;

/// <summary>The emulated CS: the member cities' messages on one shared channel, each taken once.</summary>
public sealed class CsGatewayService(ReceivedStore store, InboundStore inbound) : CsGateway.CsGatewayBase
{
    public override async Task<CsReceipt> Submit(CsMessage request, ServerCallContext context)
    {
        if (store.SubmitDelay > TimeSpan.Zero)
        {
            await Task.Delay(store.SubmitDelay, TimeProvider.System, context.CancellationToken);
        }
        if (!store.Members.Contains(request.SenderCode))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"団体コード {request.SenderCode} はこの共同利用 CS の構成団体ではありません。"));
        }
        if (request.Kind == CsMessageKind.Unspecified || request.Person is null || request.MessageId.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "電文の種別・対象者・電文番号がありません。"));
        }
        if (request.Kind != CsMessageKind.IndividualNumberRequest && request.Person.ResidentCode.Length == 0 && !request.Person.Removed)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"住民票コードがありません (宛名番号 {request.Person.ResidentNumber})。"));
        }
        if (request.Kind == CsMessageKind.DeliveryAddress && (request.Delivery is null || request.Delivery.Address.Length == 0 || request.Delivery.PrintCategory is not (1 or 2)))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"送付先情報の送付先・印刷区分がありません (住民票コード {request.Person.ResidentCode})。"));
        }
        if (request.Kind is (CsMessageKind.DeliveryAddress or CsMessageKind.SymbolRequest) && request.Person.IndividualNumber.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"個人番号がありません (住民票コード {request.Person.ResidentCode})。"));
        }
        if (request.Kind == CsMessageKind.CertificateSerialRequest && request.Person.ResidentCode.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "シリアル番号の取得要求に住民票コードがありません。"));
        }
        return store.Take(request);
    }

    public override async Task StreamIdentities(StreamIdentitiesRequest request, IServerStreamWriter<CsPerson> responseStream, ServerCallContext context)
    {
        foreach (var person in store.Identities(request.SenderCode))
        {
            if (store.StreamDelay > TimeSpan.Zero)
            {
                await Task.Delay(store.StreamDelay, TimeProvider.System, context.CancellationToken);
            }
            await responseStream.WriteAsync(person, context.CancellationToken);
        }
    }

    public override Task<ListReceivedResponse> ListReceived(ListReceivedRequest request, ServerCallContext context)
    {
        var response = new ListReceivedResponse();
        response.Messages.AddRange(store.Received(request.SenderCode));
        return Task.FromResult(response);
    }

    public override Task<FetchInboundResponse> FetchInbound(FetchInboundRequest request, ServerCallContext context)
    {
        var response = new FetchInboundResponse();
        response.Messages.AddRange(inbound.Waiting(request.Max is > 0 and <= 1000 ? request.Max : 100));
        return Task.FromResult(response);
    }

    public override Task<AcknowledgeInboundResponse> AcknowledgeInbound(AcknowledgeInboundRequest request, ServerCallContext context)
    {
        inbound.Acknowledge(request.Acks);
        return Task.FromResult(new AcknowledgeInboundResponse());
    }

    public override Task<CsReceipt> Inject(CsMessage request, ServerCallContext context)
    {
        if (request.Kind == CsMessageKind.Unspecified || request.MessageId.Length == 0 || request.RecipientCode.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "電文の種別・電文番号・宛先の団体コードがありません。"));
        }
        return Task.FromResult(inbound.Inject(request));
    }

    public override Task<ListInboundResponse> ListInbound(ListInboundRequest request, ServerCallContext context)
    {
        var response = new ListInboundResponse();
        response.Messages.AddRange(inbound.States());
        return Task.FromResult(response);
    }
}
