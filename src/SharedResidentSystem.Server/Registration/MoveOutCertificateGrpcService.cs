using Grpc.Core;
using Microsoft.EntityFrameworkCore;
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
public sealed class MoveOutCertificateGrpcService(CallerContext callers, MoveOutCertificates certificates, CallRecord record, BatchedAccessLog log, Core.Storage.SrsDbContext db,
    TenantDirectory tenants, Core.Certificates.ICertificateRenderer renderer, TimeProvider time)
    : MoveOutCertificateService.MoveOutCertificateServiceBase
{
    /// <summary>
    /// 9.4#2: the 通知書 to the 転入地 of a 成年被後見人 who moved out: addressed to the head of the
    /// 転出先's city, naming the person, their 住所 here, the 転出先 and its date.
    /// </summary>
    public override async Task<AdultWardNotice> GetAdultWardNotice(GetAdultWardNoticeRequest request, ServerCallContext context)
    {
        var caller = callers.Required;
        var number = ProtoMapping.OwnId(request.Resident, "residents", caller.TenantCode, "resident", "住民");
        var person = await db.CurrentVersions.AsNoTracking().SingleOrDefaultAsync(p => p.ResidentNumber == number, context.CancellationToken)
            ?? throw DomainException.NotFound("住民", "resident");
        string? problem = person switch
        {
            { AdultWard: false } => "成年被後見人として記録されていません。",
            { RemovalReason: not IdouReasons.DomesticMoveOut } => "国内転出の記録がありません (通知書は転出した成年被後見人について作成します)。",
            _ => null,
        };
        if (problem is not null)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.NotEligible, problem, [new FieldViolation("resident", problem)]).Concerning([number]);
        }
        var city = tenants.Get(caller.TenantCode);
        var destination = person.Destination;
        var addressee = (destination.FreeText.Length > 0 && destination.City.Length == 0 ? destination.FreeText : destination.Prefecture + destination.City) + "長";
        var today = Japanese.JapanTime.Today(time);
        var letter = new Core.Certificates.LetterContent(
            "成年被後見人に関する通知書",
            $"{addressee}　様",
            [
                $"次の者は、{city.Name}において成年被後見人として記録されていましたが、貴市区町村へ転出しましたので通知します。",
                $"氏名　{Core.Certificates.CertificateComposer.NameText(person, false)}",
                $"生年月日　{Core.Certificates.CertificateComposer.PartialDate(person.BirthYear, person.BirthMonth, person.BirthDay, person.Kind == Core.Storage.ResidentKind.Foreign)}",
                $"転出前の住所　{Core.Certificates.CertificateComposer.AddressText(person.Address)}",
                $"転出先の住所　{Core.Residents.PersonMapping.Describe(destination)}",
                $"転出{(person.RemovalOn > today ? "予定" : "")}年月日　{(person.RemovalOn is { } on ? Japanese.Wareki.Format(on) : "")}",
            ],
            city.Name,
            today,
            Japanese.Wareki.Format(today));
        return record.Answer(new AdultWardNotice { Addressee = addressee, Pdf = Google.Protobuf.ByteString.CopyFrom(renderer.RenderLetter(letter)) },
            new Touched([number]) { Detail = $"成年被後見人の転出の通知書 ({addressee})" });
    }

    public override async Task<MoveOutCertificate> GetReceivedMoveOutCertificate(GetReceivedMoveOutCertificateRequest request, ServerCallContext context)
    {
        var caller = callers.Required;
        var id = ProtoMapping.OwnNumericId(request.Name, "csInbound", caller.TenantCode, "name", "受信電文");
        var kept = await db.CsInbound.SingleOrDefaultAsync(m => m.Id == id, context.CancellationToken)
            ?? throw DomainException.NotFound("受信電文", "name");
        if (kept.Kind != Cs.CsInbox.KindName(Contracts.JukiNet.V1.CsMessageKind.MoveOutCertificate))
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.CsMessageState, $"この受信電文は転出証明書情報ではありません ({kept.Kind})。",
                [new FieldViolation("name", "転出証明書情報ではありません。")]);
        }
        var message = Contracts.JukiNet.V1.CsMessage.Parser.ParseFrom(kept.Message);
        var person = message.Person ?? new Contracts.JukiNet.V1.CsPerson();
        var certificate = new MoveOutCertificate
        {
            SourceCityCode = message.SenderCode,
            PlannedDate = ProtoMapping.ToProto(DateOnly.TryParseExact(message.IdouDate, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var planned) ? planned : null),
            PreviousAddress = new Address { FreeText = person.Address, PostalCode = person.PostalCode },
            Destination = new Address { FreeText = person.Destination },
        };
        certificate.Persons.Add(Received(person));
        return record.Answer(certificate, new Touched([], person.IndividualNumber.Length > 0, $"特例転入: 受信した転出証明書情報 {kept.MessageId}"));
    }

    /// <summary>A person of a received 転出証明書情報 as an entry for the 転入: 氏 and 名 split where the message separates them.</summary>
    private static PersonEntry Received(Contracts.JukiNet.V1.CsPerson person)
    {
        static (string Head, string Tail) Split(string text)
        {
            var at = text.IndexOfAny(['　', ' ']);
            return at < 0 ? (text.Trim(), "") : (text[..at].Trim(), text[(at + 1)..].Trim());
        }
        var (family, given) = Split(person.Name);
        var (familyKana, givenKana) = Split(person.NameKana);
        var birth = person.BirthDate.Split('-');
        int Part(int i) => birth.Length == 3 && int.TryParse(birth[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
        return new PersonEntry
        {
            PersonName = new PersonName { Family = family, Given = given, FamilyKana = familyKana, GivenKana = givenKana },
            BirthDate = new PartialDate { Year = Part(0), Month = Part(1), Day = Part(2) },
            Sex = (Contracts.Residents.V1.Sex)person.Sex,
            Kind = person.Foreign ? ResidentKind.Foreign : ResidentKind.Japanese,
            Domicile = person.Foreign || person.Domicile.Length == 0 ? null : new Contracts.Residents.V1.Domicile { Address = person.Domicile, HeadName = person.DomicileHead },
            IndividualNumber = person.IndividualNumber,
            ResidentCode = person.ResidentCode,
        };
    }

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
