using Grpc.Core;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;
using ResidentKind = SharedResidentSystem.Contracts.Residents.V1.ResidentKind;

namespace SharedResidentSystem.Server.Registration;

/// <summary>特例転入 between member cities (4.1.1.3): an explicit, doubly logged read across cities.</summary>
public sealed class MoveOutCertificateGrpcService(CallerContext callers, MoveOutCertificates certificates, CallRecord record, BatchedAccessLog log) : MoveOutCertificateService.MoveOutCertificateServiceBase
{
    public override async Task<MoveOutCertificate> GetMoveOutCertificate(GetMoveOutCertificateRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        if (!TenantResourceNames.TryParse(request.Resident, "residents", out var tenant, out var number))
        {
            throw DomainException.Invalid(ErrorReasons.InvalidResourceName, "resident", "resident は tenants/{団体コード}/residents/{宛名番号} の形式で指定してください。");
        }
        var data = await certificates.ReadAsync(caller, tenant, number, ct);
        // The city whose record was read logs it too, naming the reading city's staff member.
        var reader = new Caller(tenant, $"{caller.TenantCode}:{caller.StaffId}", caller.TerminalId, caller.Roles);
        await log.AppendAsync(reader, new AccessRecord(context.Method, data.Persons.Select(p => p.ResidentNumber).ToList(),
            data.Persons.Any(p => p.IndividualNumber.Length > 0), AccessLogWriter.Ok, $"特例転入: {caller.TenantCode} が転出証明書情報を参照"), ct);
        var certificate = new MoveOutCertificate
        {
            SourceCityCode = data.Source.Code,
            SourceCityName = data.Source.Name,
            PlannedDate = ProtoMapping.ToProto(data.PlannedDate),
            PreviousAddress = ProtoMapping.ToProto(data.PreviousAddress),
            Destination = ProtoMapping.ToProto(data.Destination),
        };
        certificate.Persons.AddRange(data.Persons.Select(p =>
        {
            var resident = ProtoMapping.ToProto(p, includeIndividualNumber: true);
            return new PersonEntry
            {
                PersonName = resident.PersonName,
                BirthDate = resident.BirthDate,
                Sex = resident.Sex,
                Relationship = resident.Relationship,
                Kind = resident.Kind,
                OldSurname = resident.OldSurname,
                CommonName = resident.CommonName?.Name ?? "",
                CommonNameKana = resident.CommonName?.NameKana ?? "",
                Domicile = resident.Kind == ResidentKind.Japanese ? resident.Domicile : null,
                IndividualNumber = resident.IndividualNumber,
                ResidentCode = resident.ResidentCode,
                Foreign = resident.Foreign,
            };
        }));
        return record.Answer(certificate, new Touched([], data.Persons.Any(p => p.IndividualNumber.Length > 0), $"特例転入: {request.Resident}"));
    }
}
