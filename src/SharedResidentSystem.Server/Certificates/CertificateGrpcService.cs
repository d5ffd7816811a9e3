using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using SharedResidentSystem.Contracts.Certificates.V1;
using SharedResidentSystem.Core.Certificates;
using Enum = System.Enum;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;
using Domain = SharedResidentSystem.Core.Certificates;
using Proto = SharedResidentSystem.Contracts.Certificates.V1;

namespace SharedResidentSystem.Server.Certificates;

/// <summary>
/// 証明書の交付 for clerks and supervisors, and the public verification of a printed code.
/// A refusal of entitlement or protection is written to the ledger in a transaction of its
/// own (the refused request changes nothing else); prints and reprints are in the access log
/// with the persons and whether 個人番号 was printed.
/// </summary>
public sealed class CertificateGrpcService(CallerContext callers, Issuances issuances, IssuanceLedger ledger, CallRecord record, RegisterTransaction transaction)
    : CertificateService.CertificateServiceBase
{
    private const string Collection = "issuances";

    public override async Task<IssueCertificateResponse> PreviewCertificate(IssueCertificateRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var result = issuances.Preview(await issuances.PrepareAsync(caller, ToDomain(request, caller.TenantCode), ct));
        return record.Answer(ToProto(caller.TenantCode, result), new Touched(result.Residents, result.IndividualNumberPrinted, "preview"));
    }

    /// <summary>
    /// A staged write (its policy says so): decide (reads), take the numbers (a short
    /// transaction), render and build the rows and the answer (no transaction), then hand the
    /// pipeline the commit step: the ledger entry with its access-log entry and request_id
    /// record in one transaction. A repeat of the request is answered by the pipeline before any
    /// of this, without new numbers (<see cref="IssuedCertificateAnswer"/>).
    /// </summary>
    public override async Task<IssueCertificateResponse> IssueCertificate(IssueCertificateRequest request, ServerCallContext context)
    {
        var caller = callers.Required;
        var ct = context.CancellationToken;
        var domain = ToDomain(request, caller.TenantCode);
        Issuances.Prepared prepared;
        try
        {
            prepared = await issuances.PrepareAsync(caller, domain, ct);
        }
        catch (DomainException refusal) when (refusal.Kind is ErrorKind.PermissionDenied or ErrorKind.FailedPrecondition)
        {
            // The refusal goes into the ledger too (the pipeline logs it).
            await transaction.RunAsync(async t =>
            {
                await issuances.RecordRefusalAsync(caller, new IssuanceRefusal(domain, refusal.Reason, refusal.Message), t);
                return true;
            }, CancellationToken.None);
            throw;
        }
        var reserved = await issuances.ReserveAsync(caller, prepared, ct);
        var finished = issuances.Finish(caller, prepared, reserved, issuances.Render(prepared, reserved));
        var result = finished.Result;
        var response = ToProto(caller.TenantCode, result);
        record.Answer(response, new Touched(result.Residents, result.IndividualNumberPrinted,
            $"print issuance {result.IssuanceId}: {domain.Kind} x{domain.Copies} for {domain.Requester.Category}; {string.Join(" ", result.Copies.Select(c => c.IssueNumber))}"));
        return await record.CommitAsync(async (_, t) =>
        {
            await issuances.RecordAsync(caller, prepared, finished, t);
            return response;
        }, ct);
    }

    public override async Task<ListIssuancesResponse> ListIssuances(ListIssuancesRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var resident = string.IsNullOrEmpty(request.Resident) ? "" : ProtoMapping.OwnId(request.Resident, "residents", caller.TenantCode, "resident", "住民");
        long? before = null;
        if (!string.IsNullOrEmpty(request.PageToken))
        {
            before = long.TryParse(request.PageToken, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var token)
                ? token
                : throw DomainException.Invalid(ErrorReasons.InvalidPageToken, "page_token", "page_token が正しくありません。");
        }
        var query = new LedgerQuery(resident, request.Staff, request.Kind == Proto.CertificateKind.Unspecified ? "" : ((Domain.CertificateKind)request.Kind).ToString(),
            ProtoMapping.ToDomain(request.From, "from"), ProtoMapping.ToDomain(request.Until, "until"), request.IncludeRefused, request.PageSize, before);
        var entries = await ledger.ListAsync(query, ct);
        var size = Math.Clamp(request.PageSize <= 0 ? IssuanceLedger.DefaultPageSize : request.PageSize, 1, IssuanceLedger.MaxPageSize);
        var response = new ListIssuancesResponse();
        response.Issuances.AddRange(entries.Take(size).Select(e => ToProto(caller.TenantCode, e)));
        if (entries.Count > size)
        {
            response.NextPageToken = entries[size - 1].Issuance.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var targets = entries.Take(size).SelectMany(e => e.Issuance.Residents.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
        return record.Answer(response, new Touched(resident.Length > 0 ? [resident] : targets));
    }

    public override async Task<Proto.Issuance> GetIssuance(GetIssuanceRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var entry = await ledger.GetAsync(ProtoMapping.OwnNumericId(request.Name, Collection, caller.TenantCode, "name", "交付履歴"), false, ct);
        return record.Answer(ToProto(caller.TenantCode, entry), new Touched(Residents(entry)));
    }

    public override async Task<IssueCertificateResponse> ReprintIssuance(ReprintIssuanceRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var entry = await ledger.GetAsync(ProtoMapping.OwnNumericId(request.Name, Collection, caller.TenantCode, "name", "交付履歴"), true, ct);
        if (entry.Issuance.Outcome != Issuances.Issued)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.NotEligible, "拒否された請求には印刷するものがありません。", [new FieldViolation("name", "交付されていません。")]);
        }
        var response = new IssueCertificateResponse
        {
            Issuance = Name(caller.TenantCode, entry.Issuance.Id),
            Fee = entry.Issuance.Fee,
            Delivery = entry.Issuance.Delivery == Issuances.Post ? Delivery.PostToResident : Delivery.Counter,
            IndividualNumberPrinted = entry.Issuance.IndividualNumberPrinted,
        };
        response.Copies.AddRange(entry.Copies.Select(c => ToProto(c, entry.Issuance.Pages, withPdf: true)));
        response.ItemsPrinted.AddRange(Items(entry.Issuance.Items));
        return record.Answer(response, new Touched(Residents(entry), entry.Issuance.IndividualNumberPrinted, $"reprint of issuance {entry.Issuance.Id}"));
    }

    public override async Task<Proto.Issuance> DisposeIssuance(DisposeIssuanceRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var entry = await ledger.DisposeAsync(caller, ProtoMapping.OwnNumericId(request.Name, Collection, caller.TenantCode, "name", "交付履歴"), request.Reason, ct);
        return record.Answer(ToProto(caller.TenantCode, entry), new Touched(Residents(entry)));
    }

    public override async Task<VerifyCertificateResponse> VerifyCertificate(VerifyCertificateRequest request, ServerCallContext context)
    {
        var answer = await ledger.VerifyAsync(request.Code, context.CancellationToken);
        var status = !answer.WellFormed ? VerifyCertificateResponse.Types.Status.Malformed
            : !answer.Found ? VerifyCertificateResponse.Types.Status.NotIssued
            : answer.Disposed ? VerifyCertificateResponse.Types.Status.Disposed
            : VerifyCertificateResponse.Types.Status.Issued;
        var response = new VerifyCertificateResponse { Status = status, Valid = status == VerifyCertificateResponse.Types.Status.Issued };
        if (answer.Found)
        {
            response.IssuedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(answer.IssuedAt, DateTimeKind.Utc));
            response.CityCode = answer.CityCode;
            response.CityName = answer.CityName;
            response.Kind = Enum.TryParse<Domain.CertificateKind>(answer.Kind, out var kind) ? (Proto.CertificateKind)kind : Proto.CertificateKind.Unspecified;
            response.ContentHash = answer.ContentHash;
            response.Pages = answer.Pages;
        }
        return response;
    }

    private static string Name(string tenant, long id) => $"tenants/{tenant}/{Collection}/{id}";

    private static List<string> Residents(LedgerEntry entry) => entry.Issuance.Residents.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static IEnumerable<Proto.CertificateItem> Items(string items) =>
        items.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(i => Enum.TryParse<Domain.CertificateItem>(i, out var item) ? (Proto.CertificateItem)item : Proto.CertificateItem.Unspecified);

    private static CertificateRequest ToDomain(IssueCertificateRequest r, string tenant)
    {
        if (r.Kind == Proto.CertificateKind.Unspecified || !Enum.IsDefined(r.Kind))
        {
            throw DomainException.Invalid(ErrorReasons.RequiredField, "kind", "証明書の種別を選んでください。");
        }
        if (r.Items.Any(i => i == Proto.CertificateItem.Unspecified || !Enum.IsDefined(i)))
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "items", "記載事項の指定が正しくありません。");
        }
        var q = r.Requester ?? throw DomainException.Invalid(ErrorReasons.RequiredField, "requester", "請求者を入力してください。");
        if (!Enum.IsDefined(q.Category) || !Enum.IsDefined(q.Purpose))
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "requester.category", "請求者の区分が正しくありません。");
        }
        var household = string.IsNullOrEmpty(r.Household) ? "" : ProtoMapping.OwnId(r.Household, "households", tenant, "household", "世帯");
        var residents = r.Residents.Select((n, i) => ProtoMapping.OwnId(n, "residents", tenant, $"residents[{i}]", "住民")).ToList();
        if (household.Length > 0 && residents.Count > 0)
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "residents", "世帯全員 (household) か一部の世帯員 (residents) のどちらかを指定してください。");
        }
        var requester = new RequesterInfo((Domain.RequesterCategory)q.Category, q.Name.Trim(), q.NameKana.Trim(), ProtoMapping.ToDomain(q.BirthDate), q.Address.Trim(), q.IdentityCheck.Trim())
        {
            ResidentNumber = string.IsNullOrEmpty(q.Resident) ? "" : ProtoMapping.OwnId(q.Resident, "residents", tenant, "requester.resident", "住民"),
            Purpose = (Domain.ThirdPartyPurpose)q.Purpose,
            PurposeDetail = q.PurposeDetail.Trim(),
            PowerOfAttorney = q.PowerOfAttorney,
            PrincipalName = q.PrincipalName.Trim(),
            Agency = q.Agency.Trim(),
            LegalBasis = q.LegalBasis.Trim(),
            Qualification = q.Qualification.Trim(),
            RegistrationNumber = q.RegistrationNumber.Trim(),
        };
        return new CertificateRequest((Domain.CertificateKind)r.Kind, household, residents,
            r.Layout == Proto.CertificateLayout.Individual ? Domain.CertificateLayout.Individual : Domain.CertificateLayout.Household,
            r.IncludeHistory, r.Items.Select(i => (Domain.CertificateItem)i).ToHashSet(), requester, r.Copies == 0 ? 1 : r.Copies, r.Printer.Trim())
        {
            Furigana = r.Furigana,
            OfficialUse = r.OfficialUse,
            Reissue = r.Reissue,
            RemadeOriginal = r.RemadeOriginal,
            IncludeSpecialHistory = r.IncludeSpecialHistory,
            AcknowledgedAlerts = r.AcknowledgedAlerts.ToList(),
        };
    }

    private static IssueCertificateResponse ToProto(string tenant, IssuanceResult result)
    {
        var response = new IssueCertificateResponse
        {
            Issuance = result.IssuanceId == 0 ? "" : Name(tenant, result.IssuanceId),
            Certificate = ToProto(tenant, result.Content),
            Fee = result.Fee,
            Delivery = result.Delivery == Issuances.Post ? Delivery.PostToResident : Delivery.Counter,
            IndividualNumberPrinted = result.IndividualNumberPrinted,
        };
        response.Copies.AddRange(result.Copies.Select(c => new Proto.IssuedCopy
        {
            CopyNumber = c.CopyNumber,
            IssueNumber = c.IssueNumber,
            VerificationCode = c.VerificationCode,
            ContentHash = c.ContentHash,
            Pdf = ByteString.CopyFrom(c.Pdf),
            Pages = c.Pages,
        }));
        response.ItemsPrinted.AddRange(result.Items.Order().Select(i => (Proto.CertificateItem)i));
        response.Overflows.AddRange(result.Overflows.Select(o => ToProto(tenant, o)));
        return response;
    }

    private static CertificateData ToProto(string tenant, CertificateContent c)
    {
        var data = new CertificateData
        {
            Kind = (Proto.CertificateKind)c.Kind,
            Title = c.Title,
            AuthText = c.AuthText,
            AuthenticatorTitle = c.AuthenticatorTitle,
            AuthenticatorName = c.AuthenticatorName,
            IssuedOn = ProtoMapping.ToProto(c.IssuedOn),
            IssuedOnText = c.IssuedOnText,
            OfficialUse = c.OfficialUse,
            Reissue = c.Reissue,
            Preview = c.Preview,
        };
        data.HouseholdFields.AddRange(c.HouseholdFields.Select(ToProto));
        data.Persons.AddRange(c.Persons.Select(p =>
        {
            var person = new Proto.CertificatePerson { Resident = $"tenants/{tenant}/residents/{p.ResidentNumber}" };
            person.Fields.AddRange(p.Fields.Select(ToProto));
            person.History.AddRange(p.History);
            return person;
        }));
        data.Pages.AddRange(c.Pages.Select(p => new CertificatePage { Persons = { p } }));
        data.Notes.AddRange(c.Notes);
        return data;
    }

    private static Proto.Overflow ToProto(string tenant, Domain.Overflow o) =>
        new() { Page = o.Page, Resident = o.ResidentNumber.Length == 0 ? "" : $"tenants/{tenant}/residents/{o.ResidentNumber}", Field = o.Key, Handling = o.Handling };

    private static Proto.CertificateField ToProto(Domain.CertificateField f) => new() { Key = f.Key, Label = f.Label, Value = f.Value };

    private static Proto.IssuedCopy ToProto(Core.Storage.IssuedCopy c, int pages, bool withPdf) => new()
    {
        CopyNumber = c.CopyNumber,
        IssueNumber = c.IssueNumber,
        VerificationCode = c.VerificationCode,
        ContentHash = c.ContentHash,
        Pdf = withPdf ? ByteString.CopyFrom(c.Pdf) : ByteString.Empty,
        Pages = pages,
    };

    private static Proto.Issuance ToProto(string tenant, LedgerEntry e)
    {
        var i = e.Issuance;
        var issuance = new Proto.Issuance
        {
            Name = Name(tenant, i.Id),
            IssuedAt = Timestamp.FromDateTime(DateTime.SpecifyKind(i.IssuedAt, DateTimeKind.Utc)),
            IssuedOn = ProtoMapping.ToProto(i.IssuedOn),
            Staff = i.StaffId,
            Terminal = i.TerminalId,
            OfficeName = i.OfficeName,
            TerminalName = i.TerminalName,
            PrinterName = i.PrinterName,
            Kind = Enum.TryParse<Domain.CertificateKind>(i.Kind, out var kind) ? (Proto.CertificateKind)kind : Proto.CertificateKind.Unspecified,
            Layout = i.Layout == nameof(Domain.CertificateLayout.Individual) ? Proto.CertificateLayout.Individual : Proto.CertificateLayout.Household,
            IncludeHistory = i.IncludeHistory,
            RequesterCategory = Enum.TryParse<Domain.RequesterCategory>(i.RequesterCategory, out var category) ? (Proto.RequesterCategory)category : Proto.RequesterCategory.Unspecified,
            RequesterName = i.RequesterName,
            RequesterDetail = i.RequesterDetail,
            IndividualNumberPrinted = i.IndividualNumberPrinted,
            ResidentCodePrinted = i.ResidentCodePrinted,
            Copies = i.Copies,
            Pages = i.Pages,
            Fee = i.Fee,
            OfficialUse = i.OfficialUse,
            Reissue = i.Reissue,
            Delivery = i.Delivery switch { Issuances.Post => Delivery.PostToResident, Issuances.Counter => Delivery.Counter, _ => Delivery.Unspecified },
            Outcome = i.Outcome,
            OutcomeMessage = i.OutcomeMessage,
            ConfigVersion = i.ConfigVersion,
            Disposed = e.Disposal is not null,
            DisposalReason = e.Disposal?.Reason ?? "",
            DisposedAt = e.Disposal is null ? null : Timestamp.FromDateTime(DateTime.SpecifyKind(e.Disposal.DisposedAt, DateTimeKind.Utc)),
        };
        issuance.Residents.AddRange(Residents(e).Select(n => $"tenants/{tenant}/residents/{n}"));
        issuance.ItemsPrinted.AddRange(Items(i.Items));
        issuance.CopiesIssued.AddRange(e.Copies.Select(c => ToProto(c, i.Pages, withPdf: false)));
        if (i.Overflows.Length > 0)
        {
            var overflows = System.Text.Json.JsonSerializer.Deserialize<List<Domain.Overflow>>(i.Overflows) ?? [];
            issuance.Overflows.AddRange(overflows.Select(o => ToProto(tenant, o)));
        }
        return issuance;
    }
}

/// <summary>
/// The answer to an issuance is kept for a repeat without its PDFs: the ledger holds the exact
/// bytes and gives them back.
/// </summary>
public sealed class IssuedCertificateAnswer(IssuanceLedger ledger, CallerContext callers) : IStoredAnswer
{
    public const string Method = "/srs.certificates.v1.CertificateService/IssueCertificate";

    public IMessage Keep(IMessage answer)
    {
        foreach (var copy in ((IssueCertificateResponse)answer).Copies)
        {
            copy.Pdf = ByteString.Empty;
        }
        return answer;
    }

    public async Task<IMessage> RestoreAsync(IMessage kept, CancellationToken cancellationToken)
    {
        var response = (IssueCertificateResponse)kept;
        var entry = await ledger.GetAsync(ProtoMapping.OwnNumericId(response.Issuance, "issuances", callers.Required.TenantCode, "issuance", "交付履歴"), true, cancellationToken);
        foreach (var copy in response.Copies)
        {
            copy.Pdf = ByteString.CopyFrom(entry.Copies.Single(c => c.CopyNumber == copy.CopyNumber).Pdf);
        }
        return response;
    }
}
