using Grpc.Core;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Protection;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;

namespace SharedResidentSystem.Server.Residents;

/// <summary>入力補助 (4.0.6, 4.0.7): candidates for 方書 and 本籍, from the caller's city only.</summary>
public sealed class InputAssistGrpcService(CallerContext callers, ResidentQueries queries, CallRecord record, ProtectionGate gate, Core.Tenancy.TenantDirectory tenants) : InputAssistService.InputAssistServiceBase
{
    public override async Task<SuggestKatagakiResponse> SuggestKatagaki(SuggestKatagakiRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var address = request.Address;
        if (address is null || string.IsNullOrWhiteSpace(address.Town) || string.IsNullOrWhiteSpace(address.Banchi))
        {
            throw DomainException.Invalid(ErrorReasons.RequiredField, "address", "町字と番地を入力してください。");
        }
        var found = await queries.KatagakiAtAsync(address.Town.Trim(), address.Chome, address.Banchi.Trim(), ct);
        var response = new SuggestKatagakiResponse();
        response.Candidates.AddRange(found.Select(f => new KatagakiCandidate { Katagaki = f.Katagaki, Residents = f.Residents }));
        // Then the 方書 the city registered for the 町字 (1.3.4) that nobody lives in yet.
        var registered = tenants.Get(callers.Required.TenantCode).Towns.FirstOrDefault(t => t.Name == address.Town.Trim())?.Buildings ?? [];
        response.Candidates.AddRange(registered.Where(b => found.All(f => f.Katagaki != b)).Select(b => new KatagakiCandidate { Katagaki = b, Residents = 0 }));
        return response;
    }

    public override async Task<SuggestDomicileResponse> SuggestDomicile(SuggestDomicileRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var number = ProtoMapping.OwnId(request.Resident, "residents", callers.Required.TenantCode, "resident", "住民");
        var person = await queries.GetAsync(number, null, null, ct) ?? throw DomainException.NotFound("住民", "resident");
        // The candidates include the other members' 本籍: every member's 抑止 counts.
        var household = await queries.GetHouseholdAsync(person.HouseholdNumber, null, null, ct);
        var targets = (household?.Members ?? []).Select(m => new ProtectionTarget(m.ResidentNumber, m.HouseholdNumber)).Append(new ProtectionTarget(number, person.HouseholdNumber)).ToList();
        await gate.EnforceAsync(callers.Required, targets, SuppressedProcesses.Inquiry, [], "resident", ct);
        var candidates = await queries.DomicileCandidatesAsync(number, ct) ?? throw DomainException.NotFound("住民", "resident");
        var response = new SuggestDomicileResponse();
        response.Candidates.AddRange(candidates.Select(c => new DomicileCandidate { Source = c.Source, Address = c.Address, HeadName = c.HeadName }));
        return record.Answer(response, new Touched([number]));
    }
}
