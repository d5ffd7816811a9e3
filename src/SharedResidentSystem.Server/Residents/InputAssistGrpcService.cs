using Grpc.Core;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Protection;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;

namespace SharedResidentSystem.Server.Residents;

/// <summary>入力補助 (1.3.3, 4.0.6, 4.0.7): candidates for 住所, 方書 and 本籍, from the caller's city only.</summary>
public sealed class InputAssistGrpcService(CallerContext callers, ResidentQueries queries, CallRecord record, ProtectionGate gate, TenantDirectory tenants) : InputAssistService.InputAssistServiceBase
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

    public override Task<SuggestAddressResponse> SuggestAddress(SuggestAddressRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Query))
        {
            throw DomainException.Invalid(ErrorReasons.RequiredField, "query", "郵便番号か住所の読みの頭文字を入力してください。");
        }
        var tenant = tenants.Get(callers.Required.TenantCode);
        var response = new SuggestAddressResponse();
        response.Candidates.AddRange(AddressLookup.Suggest(tenant, request.Query).Select(p => Candidate(tenant, p)));
        return Task.FromResult(response);
    }

    public override Task<ListAddressMasterResponse> ListAddressMaster(ListAddressMasterRequest request, ServerCallContext context)
    {
        var tenant = tenants.Get(callers.Required.TenantCode);
        var response = new ListAddressMasterResponse();
        if (string.IsNullOrWhiteSpace(request.Town))
        {
            response.Places.AddRange(tenant.Towns.SelectMany(t => AddressLookup.Places(tenant, t)).Select(p => Candidate(tenant, p)));
            return Task.FromResult(response);
        }
        var town = tenant.Towns.FirstOrDefault(t => t.Name == request.Town.Trim())
            ?? throw DomainException.Invalid(ErrorReasons.InvalidField, "town", $"町字「{request.Town.Trim()}」は{tenant.Name}の住所辞書にありません。");
        if (request.Chome != 0 && (town.Chome is not { } range || request.Chome < range.From || request.Chome > range.To))
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "chome", town.Chome is { } r ? $"{town.Name}の丁目は{r.From}から{r.To}までです。" : $"{town.Name}に丁目はありません。");
        }
        response.Places.AddRange(AddressLookup.Places(tenant, town).Where(p => request.Chome == 0 || p.Chome == request.Chome).Select(p => Candidate(tenant, p)));
        response.Blocks.AddRange(town.Blocks.Where(b => request.Chome == 0 || b.Chome == request.Chome)
            .Select(b => new AddressBlock { Chome = b.Chome, Number = b.Number, From = b.From, To = b.To }));
        response.SpecialLots.AddRange(town.SpecialLots);
        return Task.FromResult(response);
    }

    private static AddressCandidate Candidate(TenantDefinition tenant, AddressPlace place) => new()
    {
        Address = new Contracts.Common.V1.Address
        {
            Prefecture = tenant.Prefecture, City = tenant.Name, Town = place.Town.Name, Chome = place.Chome,
            PostalCode = place.Town.PostalCode, LocalGovernmentCode = tenant.Code, AddressCode = place.AddressCode,
        },
        TownKana = place.Town.Kana,
        AddressCode = place.AddressCode,
        District = place.District?.Name ?? "",
        Numbering = place.Town.Numbering switch
        {
            Core.Tenancy.LotNumbering.Residence => Contracts.Residents.V1.LotNumbering.Residence,
            Core.Tenancy.LotNumbering.Lot => Contracts.Residents.V1.LotNumbering.Lot,
            _ => Contracts.Residents.V1.LotNumbering.None,
        },
    };

    public override async Task<SuggestDomicileResponse> SuggestDomicile(SuggestDomicileRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var number = ProtoMapping.OwnId(request.Resident, "residents", callers.Required.TenantCode, "resident", "住民");
        var person = await queries.GetAsync(number, null, null, ct) ?? throw DomainException.NotFound("住民", "resident");
        // The candidates include the other members' 本籍: every member's 抑止 counts.
        var household = await queries.GetHouseholdAsync(person.HouseholdNumber, null, null, movedRemovals: false, ct);
        var targets = (household?.Members ?? []).Select(m => new ProtectionTarget(m.ResidentNumber, m.HouseholdNumber)).Append(new ProtectionTarget(number, person.HouseholdNumber)).ToList();
        await gate.EnforceAsync(callers.Required, targets, SuppressedProcesses.Inquiry, [], "resident", ct);
        var candidates = await queries.DomicileCandidatesAsync(number, ct) ?? throw DomainException.NotFound("住民", "resident");
        var response = new SuggestDomicileResponse();
        response.Candidates.AddRange(candidates.Select(c => new DomicileCandidate { Source = c.Source, Address = c.Address, HeadName = c.HeadName }));
        return record.Answer(response, new Touched([number]));
    }
}
