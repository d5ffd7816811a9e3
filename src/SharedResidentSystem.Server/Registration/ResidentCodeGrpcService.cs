using Grpc.Core;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;

namespace SharedResidentSystem.Server.Registration;

/// <summary>住民票コードの蓄積 (4.3.1) of the caller's city.</summary>
public sealed class ResidentCodeGrpcService(CallerContext callers, ResidentCodes codes, CallRecord record) : ResidentCodeService.ResidentCodeServiceBase
{
    public override async Task<ResidentCodeStock> ImportResidentCodes(ImportResidentCodesRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var (free, assigned) = await codes.ImportAsync(callers.Required, request.Codes, ct);
        return record.Answer(new ResidentCodeStock { Free = free, Assigned = assigned }, new Touched([], false, $"{request.Codes.Count} codes"));
    }

    public override async Task<ResidentCodeStock> GetResidentCodeStock(GetResidentCodeStockRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var (free, assigned) = await codes.CountAsync(ct);
        return new ResidentCodeStock { Free = free, Assigned = assigned };
    }
}
