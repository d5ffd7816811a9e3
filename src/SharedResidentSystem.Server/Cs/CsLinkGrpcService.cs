using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Contracts.JukiNet.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Core.Cs;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Protection;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Pipeline;
using CorePrintCategory = SharedResidentSystem.Core.Cs.DeliveryPrintCategory;

namespace SharedResidentSystem.Server.Cs;

/// <summary>The CS messages of the caller's city (7.1.1.1): listed, sent again, completed by hand.</summary>
public sealed class CsLinkGrpcService(CallerContext callers, SrsDbContext db, CallRecord record, NumberIssuer numbers, TimeProvider time, CsConnection cs, TenantDirectory tenants,
    ProtectionGate gate)
    : CsLinkService.CsLinkServiceBase
{
    private const int MaxDifferences = 1000;

    public override async Task<CheckCsConsistencyResponse> CheckCsConsistency(CheckCsConsistencyRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var client = cs.Client ?? throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.CsNotConfigured, "CS が設定されていません (Cs:Address)。", [new FieldViolation("cs", "CS が設定されていません。")]);
        var response = new CheckCsConsistencyResponse();
        var touched = new List<string>();
        response.Compared = await CsConsistency.RunAsync(db, client, tenants.Get(caller.TenantCode), (difference, residentNumber) =>
        {
            response.DifferenceCount++;
            if (response.Differences.Count < MaxDifferences)
            {
                response.Differences.Add(difference);
                if (residentNumber is not null && (touched.Count == 0 || touched[^1] != residentNumber))
                {
                    touched.Add(residentNumber);
                }
            }
        }, ct);
        return record.Answer(response, new Touched(touched) { Detail = $"{response.Compared} 人を照合、相違 {response.DifferenceCount} 件" });
    }

    public override async Task<ListCsMessagesResponse> ListCsMessages(ListCsMessagesRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var query = db.Outbox.AsNoTracking().Where(m => m.Topic == CsOutbox.Topic);
        if (request.State != CsMessageState.Unspecified)
        {
            var state = request.State switch
            {
                CsMessageState.Sent => OutboxState.Sent,
                CsMessageState.Failed => OutboxState.Failed,
                CsMessageState.Pending => OutboxState.Pending,
                _ => throw DomainException.Invalid(ErrorReasons.InvalidField, "state", "状態は PENDING・SENT・FAILED のいずれかです。"),
            };
            query = query.Where(m => m.State == state);
        }
        if (request.Kind.Trim() is { Length: > 0 } kind)
        {
            if (!CsOutbox.Kinds.Contains(kind))
            {
                throw DomainException.Invalid(ErrorReasons.InvalidField, "kind", $"電文の種類は {string.Join("・", CsOutbox.Kinds)} のいずれかです。");
            }
            query = query.Where(m => m.Category == kind);
        }
        if (request.Resident.Length > 0)
        {
            var number = ProtoMapping.OwnId(request.Resident, "residents", caller.TenantCode, "resident", "住民");
            query = query.Where(m => m.ResidentNumber == number);
        }
        var size = PageTokens.Size(request.PageSize);
        if (PageTokens.After(request, request.PageToken) is { } after)
        {
            query = query.Where(m => m.Id > after);
        }
        var (rows, next) = PageTokens.Page(request, await query.OrderBy(m => m.Id).Take(size + 1).ToListAsync(ct), size, m => m.Id);
        var response = new ListCsMessagesResponse { NextPageToken = next };
        response.Messages.AddRange(rows.Select(ToProto));
        return record.Answer(response, new Touched(rows.Select(r => r.ResidentNumber).Distinct().ToList()));
    }

    public override async Task<CsMessageEntry> ResendCsMessage(ResendCsMessageRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var original = await LoadAsync(request.Name, ct);
        if (original.State == OutboxState.Pending)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.CsMessageState, "この電文はまだ送信待ちです。", [new FieldViolation("name", "送信待ちです。")]);
        }
        if (original.Category == CsOutbox.MoveOutCertificate && original.State == OutboxState.Sent)
        {
            // 4.1.3.0.4 forbids sending a 転出証明書情報 again by hand once the CS has it (7.1.1.1's
            // resend covers the other kinds, and a 転出証明書情報 the CS refused).
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.CsMessageState, "送信済みの転出証明書情報は再送信できません (4.1.3.0.4)。",
                [new FieldViolation("name", "送信済みの転出証明書情報です。")]);
        }
        if (original.Category == CsOutbox.WideAreaCopy)
        {
            // 7.1.1.1 lists what a clerk may send again; a 広域交付 answer is not among it (the 交付地 asks again).
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.CsMessageState, "広域交付住民票情報は再送信できません (交付地からの要求に応じて送ります)。",
                [new FieldViolation("name", "広域交付住民票情報です。")]);
        }
        var reason = request.Reason.Trim() is { Length: > 0 } changed ? changed : original.Reason;
        if (reason != original.Reason && !IdouReason.IsKnown(reason))
        {
            throw DomainException.Invalid(ErrorReasons.InvalidField, "reason", $"「{reason}」は異動事由 (1.2.2) ではありません。");
        }
        var now = time.GetUtcNow().UtcDateTime;
        var copy = OutboxMessage.Pending(original.TenantCode, await numbers.NextAsync(original.TenantCode, NumberKinds.Outbox, ct), CsOutbox.Topic, original.IdouId,
            original.ResidentNumber, original.Category, reason, original.NotBefore, now, original.Recipient);
        copy.Result = $"{CsMessages.ResendMark} (元の電文 {original.Id}{(reason != original.Reason ? $"、異動事由を「{original.Reason}」から変更" : "")}、{callers.Required.StaffId})";
        db.Outbox.Add(copy);
        if (original.State == OutboxState.Failed)
        {
            // The refused one is replaced: it no longer holds the city's queue.
            original.State = OutboxState.Sent;
            original.SentAt = now;
            original.Result = $"{original.Result} → 電文 {copy.Id} で再送信";
            original.ConcurrencyStamp = Guid.NewGuid();
        }
        return record.Answer(ToProto(copy), new Touched([copy.ResidentNumber]));
    }

    public override async Task<CsMessageEntry> CompleteCsMessage(CompleteCsMessageRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        if (string.IsNullOrWhiteSpace(request.Note))
        {
            throw DomainException.Invalid(ErrorReasons.RequiredField, "note", "手で行ったことを入力してください。");
        }
        var message = await LoadAsync(request.Name, ct);
        if (message.State == OutboxState.Sent)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.CsMessageState, "この電文は送信済みです。", [new FieldViolation("name", "送信済みです。")]);
        }
        message.State = OutboxState.Sent;
        message.SentAt = time.GetUtcNow().UtcDateTime;
        message.Result = $"手入力で補完 ({callers.Required.StaffId}): {request.Note.Trim()}" + (message.Result.Length > 0 ? $" [{message.Result}]" : "");
        message.ConcurrencyStamp = Guid.NewGuid();
        return record.Answer(ToProto(message), new Touched([message.ResidentNumber]));
    }

    public override async Task<CsLinkStatus> GetCsLinkStatus(GetCsLinkStatusRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var (contact, failure) = cs.Fared;
        var status = new CsLinkStatus
        {
            Configured = cs.Client is not null,
            Reachable = contact is { } c && (failure is null || c > failure),
            LastContactAt = contact is { } at ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at) : null,
            LastFailureAt = failure is { } not ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(not) : null,
            Manual = tenants.Get(callers.Required.TenantCode).CsManual,
            Pending = await db.Outbox.CountAsync(m => m.Topic == CsOutbox.Topic && m.State == OutboxState.Pending, ct),
            Failed = await db.Outbox.CountAsync(m => m.Topic == CsOutbox.Topic && m.State == OutboxState.Failed, ct),
            InboundNeedsReview = await db.CsInbound.CountAsync(m => m.State == Core.Storage.CsInboundState.NeedsReview, ct),
        };
        return record.Answer(status, Touched.Nothing);
    }

    public override async Task<ListCsInboundResponse> ListCsInbound(ListCsInboundRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var query = db.CsInbound.AsNoTracking();
        if (request.State != Contracts.Registration.V1.CsInboundState.Unspecified)
        {
            if (!Enum.IsDefined(request.State))
            {
                throw DomainException.Invalid(ErrorReasons.InvalidField, "state", "受信の状態が正しくありません。");
            }
            var state = (Core.Storage.CsInboundState)(int)request.State;
            query = query.Where(m => m.State == state);
        }
        if (request.Kind.Trim() is { Length: > 0 } kind)
        {
            query = query.Where(m => m.Kind == kind);
        }
        var size = PageTokens.Size(request.PageSize);
        if (PageTokens.After(request, request.PageToken) is { } after)
        {
            query = query.Where(m => m.Id > after);
        }
        var (rows, next) = PageTokens.Page(request, await query.OrderBy(m => m.Id).Take(size + 1).ToListAsync(ct), size, m => m.Id);
        var response = new ListCsInboundResponse { NextPageToken = next };
        response.Messages.AddRange(rows.Select(ToProto));
        // The residents are named by the answer (answer_residents); a 転出証明書情報 may carry a 個人番号.
        return record.Answer(response, new Touched([], response.Messages.Any(m => m.Person.IndividualNumber.Length > 0)));
    }

    public override async Task<CsInboundEntry> CompleteCsInbound(CompleteCsInboundRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        if (string.IsNullOrWhiteSpace(request.Note))
        {
            throw DomainException.Invalid(ErrorReasons.RequiredField, "note", "手で行ったことを入力してください。");
        }
        var id = ProtoMapping.OwnNumericId(request.Name, "csInbound", callers.Required.TenantCode, "name", "受信電文");
        var message = await db.CsInbound.SingleOrDefaultAsync(m => m.Id == id, ct) ?? throw DomainException.NotFound("受信電文", "name");
        if (message.State is not (Core.Storage.CsInboundState.Received or Core.Storage.CsInboundState.NeedsReview))
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.CsMessageState, "この受信電文は処理済みです。", [new FieldViolation("name", "処理済みです。")]);
        }
        message.State = Core.Storage.CsInboundState.Completed;
        message.Result = Core.Audit.AccessLogWriter.Storable($"手で処理 ({callers.Required.StaffId}): {request.Note.Trim()} [{message.Result}]", 400);
        message.ConcurrencyStamp = Guid.NewGuid();
        return record.Answer(ToProto(message), new Touched(message.ResidentNumber.Length > 0 ? [message.ResidentNumber] : []));
    }

    public override async Task<DeliveryAddressDesignation> DesignateDeliveryAddress(DesignateDeliveryAddressRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var caller = callers.Required;
        var category = (CorePrintCategory)(int)request.PrintCategory;
        DeliveryAddresses.Check(category, request.Residence, request.ResidenceKatagaki, request.ResidencePostalCode, request.Note);
        var person = await ResidentAsync(request.Resident, SuppressedProcesses.Idou, ct);
        if (person.State != ResidentState.Active)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.RecordRule, "除票の人には送付先を指定できません。", [new FieldViolation("resident", "除票です。")]);
        }
        var now = time.GetUtcNow().UtcDateTime;
        // Numbered from the outbox serial just before its 送付先情報: the message is built from it.
        var designation = new DeliveryDesignation
        {
            TenantCode = caller.TenantCode,
            Id = await numbers.NextAsync(caller.TenantCode, NumberKinds.Outbox, ct),
            ResidentNumber = person.ResidentNumber,
            PrintCategory = category,
            SpecialCircumstances = request.SpecialCircumstances,
            Residence = request.Residence.Trim(),
            ResidenceKatagaki = request.ResidenceKatagaki.Trim(),
            ResidencePostalCode = request.ResidencePostalCode.Trim(),
            Note = request.Note.Trim(),
            StaffId = caller.StaffId,
            CreatedAt = now,
        };
        db.DeliveryDesignations.Add(designation);
        var sent = await CsOutbox.AddForPersonAsync(db, numbers, person, CsOutbox.DeliveryAddress, DeliveryAddresses.DesignationReason, "",
            SharedResidentSystem.Japanese.JapanTime.Today(time), now, ct);
        return record.Answer(ToProto(person, designation, sent), new Touched([person.ResidentNumber]));
    }

    public override async Task<DeliveryAddressDesignation> GetDeliveryAddress(GetDeliveryAddressRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var person = await ResidentAsync(request.Resident, SuppressedProcesses.Inquiry, ct);
        var designation = await DeliveryAddresses.InForceAsync(db, person.ResidentNumber, long.MaxValue, ct);
        return record.Answer(ToProto(person, designation, null), new Touched([person.ResidentNumber]));
    }

    public override async Task<CsMessageEntry> RequestCertificateSerial(RequestCertificateSerialRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        var person = await ResidentAsync(request.Resident, SuppressedProcesses.Inquiry, ct);
        if (person.State != ResidentState.Active || !person.CardHeld)
        {
            // The serial number is of the certificate on a card the person holds now.
            throw new DomainException(ErrorKind.FailedPrecondition, ErrorReasons.RecordRule,
                person.State != ResidentState.Active ? "除票の人の電子証明書のシリアル番号は取得できません。" : "個人番号カードを保有していない人です (カードの発行状況、7.1.1.3)。",
                [new FieldViolation("resident", person.State != ResidentState.Active ? "除票です。" : "カードを保有していません。")]);
        }
        var row = await CsOutbox.AddForPersonAsync(db, numbers, person, CsOutbox.CertificateSerialRequest, "シリアル番号の取得", "",
            SharedResidentSystem.Japanese.JapanTime.Today(time), time.GetUtcNow().UtcDateTime, ct);
        return record.Answer(ToProto(row), new Touched([person.ResidentNumber]));
    }

    /// <summary>The resident's current version, held to the 抑止 of <paramref name="process"/>.</summary>
    private async Task<PersonVersion> ResidentAsync(string name, SuppressedProcesses process, CancellationToken ct)
    {
        var caller = callers.Required;
        var number = ProtoMapping.OwnId(name, "residents", caller.TenantCode, "resident", "住民");
        var person = await db.CurrentVersions.AsNoTracking().FirstOrDefaultAsync(p => p.ResidentNumber == number, ct) ?? throw DomainException.NotFound("住民", "resident");
        await gate.EnforceAsync(caller, [new ProtectionTarget(number, person.HouseholdNumber)], process, [], "resident", ct);
        return person;
    }

    private static DeliveryAddressDesignation ToProto(PersonVersion person, DeliveryDesignation? designation, OutboxMessage? sent) => new()
    {
        Resident = TenantResourceNames.Resident(person.TenantCode, person.ResidentNumber),
        Designated = designation is not null,
        PrintCategory = (Contracts.Registration.V1.DeliveryPrintCategory)(int)(designation?.PrintCategory ?? CorePrintCategory.Print),
        SpecialCircumstances = designation?.SpecialCircumstances ?? false,
        Residence = designation?.Residence ?? "",
        ResidenceKatagaki = designation?.ResidenceKatagaki ?? "",
        ResidencePostalCode = designation?.ResidencePostalCode ?? "",
        Note = designation?.Note ?? "",
        Staff = designation?.StaffId ?? "",
        DesignatedAt = designation is null ? null : Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(designation.CreatedAt, DateTimeKind.Utc)),
        Message = sent is null ? "" : $"{TenantResourceNames.Prefix}{sent.TenantCode}/csMessages/{sent.Id}",
        Delivery = CsMessages.DeliveryOf(person, designation),
    };

    private static CsInboundEntry ToProto(CsInboundMessage m)
    {
        var message = CsMessage.Parser.ParseFrom(m.Message);
        return new CsInboundEntry
        {
            Name = $"{TenantResourceNames.Tenant(m.TenantCode)}/csInbound/{m.Id}",
            MessageId = m.MessageId,
            Kind = m.Kind,
            SenderCode = m.SenderCode,
            RecipientCode = m.RecipientCode,
            State = (Contracts.Registration.V1.CsInboundState)(int)m.State,
            Result = m.Result,
            ReceivedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(m.ReceivedAt, DateTimeKind.Utc)),
            ResidentCode = m.ResidentCode,
            Resident = m.ResidentNumber.Length > 0 ? TenantResourceNames.Resident(m.TenantCode, m.ResidentNumber) : "",
            Idou = m.IdouId is { } idou ? TenantResourceNames.Idou(m.TenantCode, idou) : "",
            Person = message.Person ?? new CsPerson(),
            IdouDate = message.IdouDate,
            NotifiedDate = message.NotifiedDate,
        };
    }

    private async Task<OutboxMessage> LoadAsync(string name, CancellationToken cancellationToken)
    {
        var id = ProtoMapping.OwnNumericId(name, "csMessages", callers.Required.TenantCode, "name", "電文");
        return await db.Outbox.SingleOrDefaultAsync(m => m.Id == id && m.Topic == CsOutbox.Topic, cancellationToken) ?? throw DomainException.NotFound("電文", "name");
    }

    private static CsMessageEntry ToProto(OutboxMessage m) => new()
    {
        Name = $"{TenantResourceNames.Prefix}{m.TenantCode}/csMessages/{m.Id}",
        Idou = TenantResourceNames.Idou(m.TenantCode, m.IdouId),
        Resident = TenantResourceNames.Resident(m.TenantCode, m.ResidentNumber),
        Kind = m.Category,
        Reason = m.Reason,
        State = m.State switch { OutboxState.Sent => CsMessageState.Sent, OutboxState.Failed => CsMessageState.Failed, _ => CsMessageState.Pending },
        CreatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(m.CreatedAt, DateTimeKind.Utc)),
        SentAt = m.SentAt is { } sent ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.SpecifyKind(sent, DateTimeKind.Utc)) : null,
        Result = m.Result,
    };
}
