using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;

namespace SharedResidentSystem.Server.Residents;

/// <summary>住民記録の照会 (2.1, 2.2.1): reads of the caller's city, each one logged.</summary>
[Authorize(Roles = $"{Roles.Clerk},{Roles.Supervisor}")]
public sealed class ResidentGrpcService(CallerContext callers, ResidentQueries queries, AuditedCalls audited) : ResidentService.ResidentServiceBase
{
    public override Task<Resident> GetResident(GetResidentRequest request, ServerCallContext context) =>
        audited.ReadAsync(context.Method, async ct =>
        {
            var caller = callers.Required;
            var number = ProtoMapping.OwnId(request.Name, "residents", caller.TenantCode, "name", "住民");
            var asOf = ProtoMapping.ToDomain(request.AsOf, "as_of");
            var asRecorded = ProtoMapping.ToDomain(request.AsRecordedOn, "as_recorded_on");
            var person = await queries.GetAsync(number, asOf, asRecorded, ct) ?? throw DomainException.NotFound("住民");
            return (ProtoMapping.ToProto(person), new Touched([person.ResidentNumber]));
        }, context.CancellationToken);

    public override Task<SearchResidentsResponse> SearchResidents(SearchResidentsRequest request, ServerCallContext context) =>
        audited.ReadAsync(context.Method, async ct =>
        {
            var page = await queries.SearchAsync(new ResidentSearch(request.NameQuery, request.ResidentNumber, request.IncludeRemoved, request.PageSize, request.PageToken), ct);
            var response = new SearchResidentsResponse { NextPageToken = page.NextPageToken };
            response.Residents.AddRange(page.Residents.Select(ProtoMapping.ToProto));
            return (response, new Touched(page.Residents.Select(p => p.ResidentNumber).ToList()));
        }, context.CancellationToken);
}
