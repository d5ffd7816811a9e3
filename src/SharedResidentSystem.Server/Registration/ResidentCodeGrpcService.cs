using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Registration;

/// <summary>住民票コードの蓄積 (4.3.1) of the caller's city.</summary>
[Authorize(Roles = $"{Roles.Operator},{Roles.Supervisor}")]
public sealed class ResidentCodeGrpcService(CallerContext callers, ResidentCodes codes, AuditedCalls audited) : ResidentCodeService.ResidentCodeServiceBase
{
    [Authorize(Roles = Roles.Operator)]
    public override Task<ResidentCodeStock> ImportResidentCodes(ImportResidentCodesRequest request, ServerCallContext context) =>
        audited.WriteAsync(context.Method, request, request.RequestId, ResidentCodeStock.Parser, async ct =>
        {
            var (free, assigned) = await codes.ImportAsync(callers.Required, request.Codes, ct);
            return (new ResidentCodeStock { Free = free, Assigned = assigned }, new Touched([], false, $"{request.Codes.Count} codes"));
        }, context.CancellationToken);

    public override Task<ResidentCodeStock> GetResidentCodeStock(GetResidentCodeStockRequest request, ServerCallContext context) =>
        audited.ReadAsync(context.Method, async ct =>
        {
            var (free, assigned) = await codes.CountAsync(ct);
            return (new ResidentCodeStock { Free = free, Assigned = assigned }, Touched.Nothing);
        }, context.CancellationToken);
}
