using System.Globalization;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Contracts.JukiNet.V1;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;

namespace SharedResidentSystem.Server.Cs;

/// <summary>
/// Receiving from the shared CS (7.1.1.1 共同利用): every message for the joint system comes on the
/// one channel and is routed to its city by the recipient's 団体コード; one for a city that is not a
/// member is refused and kept for the joint system's operators. Each message is kept once (by its
/// id) in its city, in a transaction with what it does, before the CS is told: a crash in between
/// only means it is fetched again and found kept.
/// <list type="bullet">
/// <item>転入通知情報 (4.1.3.1.2): taken by itself as 転入通知の受理 (4.1.3.1.1) of the 除票 with its
/// 住民票コード; what cannot be (no such 除票, 文字化け or 桁あふれ, a date that does not fit) goes on
/// the 取込エラー一覧 for a clerk. Of several notices for one person in one fetch (再送分) the last
/// is taken; a notice sent again later is taken again (修正).</item>
/// <item>転出証明書情報 (4.1.3.0.4, from a city outside the joint system): kept for the counter's 特例転入.</item>
/// <item>住民票コード 空きコード: added to the city's stock (4.3.1).</item>
/// </list>
/// </summary>
public sealed class CsInbox(IServiceScopeFactory scopes, TenantDirectory tenants, TimeProvider time)
{
    public const string SystemStaff = "cs-link";

    private const int BatchSize = 100;

    /// <summary>One fetch from the CS: each message kept (or refused) and then acknowledged; false when there was nothing.</summary>
    public async Task<bool> ReceiveAsync(CsGateway.CsGatewayClient client, TimeSpan deadline, CancellationToken cancellationToken)
    {
        // The deadline is real time (the wire's), not the register's clock.
        var batch = (await client.FetchInboundAsync(new FetchInboundRequest { Max = BatchSize }, deadline: TimeProvider.System.GetUtcNow().UtcDateTime.Add(deadline),
            cancellationToken: cancellationToken)).Messages;
        if (batch.Count == 0)
        {
            return false;
        }
        var latest = batch.Where(m => m.Kind == CsMessageKind.MoveInNotice)
            .GroupBy(m => (m.RecipientCode, m.Person?.ResidentCode ?? ""))
            .ToDictionary(g => g.Key, g => g.Last().MessageId);
        var acks = new List<InboundAck>();
        foreach (var message in batch)
        {
            string? supersededBy = null;
            if (message.Kind == CsMessageKind.MoveInNotice && latest[(message.RecipientCode, message.Person?.ResidentCode ?? "")] is var last && last != message.MessageId)
            {
                supersededBy = last;
            }
            acks.Add(await KeepAsync(message, supersededBy, cancellationToken));
        }
        await client.AcknowledgeInboundAsync(new AcknowledgeInboundRequest { Acks = { acks } }, deadline: TimeProvider.System.GetUtcNow().UtcDateTime.Add(deadline),
            cancellationToken: cancellationToken);
        return true;
    }

    public static string KindName(CsMessageKind kind) => kind switch
    {
        CsMessageKind.MoveInNotice => Core.Cs.CsOutbox.MoveInNotice,
        CsMessageKind.MoveOutCertificate => Core.Cs.CsOutbox.MoveOutCertificate,
        CsMessageKind.FreeResidentCodes => "住民票コードの空きコード",
        CsMessageKind.CardStatus => "カードの発行状況",
        CsMessageKind.WideAreaCopyRequest => "広域交付住民票の交付要求",
        CsMessageKind.DeliveryTargets => "送付先情報の更新対象者",
        CsMessageKind.SymbolRequest => Core.Cs.CsOutbox.SymbolRequest,
        CsMessageKind.CertificateSerialRequest => Core.Cs.CsOutbox.CertificateSerialRequest,
        CsMessageKind.Identity => Core.Cs.CsOutbox.Identity,
        CsMessageKind.FamilyRegisterAnnex => Core.Cs.CsOutbox.FamilyRegisterAnnex,
        CsMessageKind.DeliveryAddress => Core.Cs.CsOutbox.DeliveryAddress,
        CsMessageKind.WideAreaCopy => Core.Cs.CsOutbox.WideAreaCopy,
        CsMessageKind.IndividualNumberRequest => Core.Cs.CsOutbox.IndividualNumberRequest,
        CsMessageKind.IndividualNumberChangeRequest => Core.Cs.CsOutbox.IndividualNumberChangeRequest,
        _ => "不明",
    };

    private async Task<InboundAck> KeepAsync(CsMessage message, string? supersededBy, CancellationToken cancellationToken)
    {
        var member = tenants.Find(message.RecipientCode) is not null;
        var city = member ? message.RecipientCode : SrsClaims.JointSystem;
        using var scope = scopes.CreateScope();
        var caller = new Caller(city, SystemStaff, "server", new HashSet<string>());
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(caller);
        var transaction = scope.ServiceProvider.GetRequiredService<RegisterTransaction>();
        if (await transaction.Db.CsInbound.AsNoTracking().FirstOrDefaultAsync(m => m.MessageId == message.MessageId, cancellationToken) is { } kept)
        {
            // Kept before (the acknowledgement was lost): acknowledged again as it was.
            return new InboundAck { MessageId = message.MessageId, Refused = kept.State == CsInboundState.Refused, Reason = kept.State == CsInboundState.Refused ? kept.Result : "" };
        }
        if (!member)
        {
            var reason = $"団体コード {message.RecipientCode} はこの共同利用システムの構成団体ではありません。";
            await transaction.RunAsync(ct => AddAsync(transaction.Db, scope.ServiceProvider, caller, message, CsInboundState.Refused, reason, "", null, ct), cancellationToken);
            return new InboundAck { MessageId = message.MessageId, Refused = true, Reason = reason };
        }
        if (supersededBy is not null)
        {
            await transaction.RunAsync(ct => AddAsync(transaction.Db, scope.ServiceProvider, caller, message, CsInboundState.Superseded,
                $"同じ受信の後の通知 (電文 {supersededBy}) を取り込みました。", "", null, ct), cancellationToken);
            return new InboundAck { MessageId = message.MessageId };
        }
        try
        {
            await transaction.RunAsync(ct => TakeAsync(transaction.Db, scope.ServiceProvider, caller, message, ct), cancellationToken);
        }
        catch (DomainException refused)
        {
            // Not taken by itself: kept on the 取込エラー一覧 with the reason, for a clerk.
            var reason = refused.Violations.Count > 0 ? $"{refused.Message} ({string.Join("、", refused.Violations.Select(v => $"{v.Field}: {v.Description}"))})" : refused.Message;
            await transaction.RunAsync(ct => AddAsync(transaction.Db, scope.ServiceProvider, caller, message, CsInboundState.NeedsReview,
                Core.Audit.AccessLogWriter.Storable(reason, 380), "", null, ct), cancellationToken);
        }
        return new InboundAck { MessageId = message.MessageId };
    }

    /// <summary>What the message does in the register, and the message kept, in one transaction.</summary>
    private async Task<int> TakeAsync(SrsDbContext db, IServiceProvider services, Caller caller, CsMessage message, CancellationToken ct)
    {
        switch (message.Kind)
        {
            case CsMessageKind.MoveInNotice:
            {
                var (resident, idou) = await MoveInNoticeAsync(db, services.GetRequiredService<RegisterService>(), caller, message, ct);
                return await AddAsync(db, services, caller, message, CsInboundState.Applied, "転入通知の受理を記録しました。", resident, idou, ct);
            }
            case CsMessageKind.FreeResidentCodes:
            {
                var codes = services.GetRequiredService<ResidentCodes>();
                var before = (await codes.CountAsync(ct)).Free;
                var (free, _) = await codes.ImportAsync(caller, [.. message.FreeCodes], ct);
                return await AddAsync(db, services, caller, message, CsInboundState.Applied, $"空きコード {free - before} 件を蓄積しました (受信 {message.FreeCodes.Count} 件)。", "", null, ct);
            }
            case CsMessageKind.CardStatus:
            {
                // 7.1.1.3: whether the person holds a card, recorded as the 他業務照会 item (a 職権修正 of it alone).
                var current = await PersonOfAsync(db, message.Person?.ResidentCode ?? "", ct);
                var values = new CorrectionValues(null, null, null, null, null, Core.Link.ServiceReports.Merge(Core.Link.ServiceReports.Of(current),
                    Core.Residents.EntitlementsValue.None with { CardHeld = message.CardHeld }, Core.Link.ServiceReports.Card));
                var dated = Date(message.IdouDate, "idou_date") ?? SharedResidentSystem.Japanese.JapanTime.Today(time);
                var result = await services.GetRequiredService<RegisterService>().AmendAsync(caller, "cs-in-" + message.MessageId, new AmendmentCommand(IdouReasons.OfficialCorrection,
                    current.ResidentNumber, current.ETag, values, dated, dated,
                    $"CS からのカードの発行状況 (電文 {message.MessageId})", []) { Basis = IdouBasis.Notice }, ct);
                return await AddAsync(db, services, caller, message, CsInboundState.Applied, message.CardHeld ? "カードの保有を記録しました。" : "カードを保有していないことを記録しました。",
                    current.ResidentNumber, result.IdouId, ct);
            }
            case CsMessageKind.WideAreaCopyRequest:
            {
                // 7.1.1.1: the 住民票 information goes back through the CS to the requesting 交付地, in the
                // city's order; never for a person a 抑止 of issuance protects (支援措置 …): a clerk decides.
                var current = await PersonOfAsync(db, message.Person?.ResidentCode ?? "", ct);
                if (current.State != ResidentState.Active)
                {
                    throw Review("person.resident_code", "除票の住民には広域交付住民票情報を送信しません。");
                }
                var gate = services.GetRequiredService<Core.Protection.ProtectionGate>();
                if ((await gate.InForceAsync(caller, [new Core.Protection.ProtectionTarget(current.ResidentNumber, current.HouseholdNumber)], SuppressedProcesses.Issuance, ct)).Count > 0)
                {
                    throw Review("person.resident_code", "証明書の交付が抑止されている住民 (支援措置等) です。広域交付住民票情報は送信していません。");
                }
                await Core.Cs.CsOutbox.AddForPersonAsync(db, services.GetRequiredService<NumberIssuer>(), current, Core.Cs.CsOutbox.WideAreaCopy, "広域交付", message.SenderCode,
                    SharedResidentSystem.Japanese.JapanTime.Today(time), time.GetUtcNow().UtcDateTime, ct);
                return await AddAsync(db, services, caller, message, CsInboundState.Applied, $"広域交付住民票情報を {message.SenderCode} へ送信します。", current.ResidentNumber, null, ct);
            }
            case CsMessageKind.DeliveryTargets:
            {
                // 7.1.1.4#2: the CS's 更新対象者 matched against the register; each resident found gets a
                // 送付先情報 (to the 住所, or where a clerk designated); the codes not matched are named.
                if (message.TargetCodes.Count is 0 or > MaxTargets)
                {
                    throw Review("target_codes", $"更新対象者の住民票コードは 1 件から {MaxTargets} 件までです (受信 {message.TargetCodes.Count} 件)。");
                }
                var codes = message.TargetCodes.Distinct(StringComparer.Ordinal).ToList();
                var found = await db.CurrentVersions.AsNoTracking().Where(p => codes.Contains(p.ResidentCode) && p.State == ResidentState.Active)
                    .OrderBy(p => p.ResidentNumber).ToListAsync(ct);
                var reason = Core.Cs.DeliveryAddresses.TargetReason(message.Purpose);
                var numbers = services.GetRequiredService<NumberIssuer>();
                foreach (var person in found)
                {
                    await Core.Cs.CsOutbox.AddForPersonAsync(db, numbers, person, Core.Cs.CsOutbox.DeliveryAddress, reason, "",
                        SharedResidentSystem.Japanese.JapanTime.Today(time), time.GetUtcNow().UtcDateTime, ct);
                }
                var missing = codes.Except(found.Select(p => p.ResidentCode), StringComparer.Ordinal).ToList();
                return await AddAsync(db, services, caller, message, CsInboundState.Applied,
                    Core.Audit.AccessLogWriter.Storable($"送付先情報 {found.Count} 件を送信します。"
                        + (missing.Count > 0 ? $" 住民 (除票を除く) がいない住民票コード {missing.Count} 件: {string.Join("、", missing)}" : ""), 380),
                    found.Count == 1 ? found[0].ResidentNumber : "", null, ct, [.. found.Select(p => p.ResidentNumber)]);
            }
            case CsMessageKind.MoveOutCertificate:
                CheckText(message.Person?.Name ?? "", "person.name");
                return await AddAsync(db, services, caller, message, CsInboundState.Received, "特例転入の窓口で使います。", "", null, ct);
            default:
                throw new DomainException(ErrorKind.InvalidArgument, ErrorReasons.CsMessageState, $"{KindName(message.Kind)} は受信して取り込む電文ではありません。");
        }
    }

    /// <summary>4.1.3.1.1 on the 除票 with the notice's 住民票コード, as a clerk would enter it.</summary>
    private static async Task<(string Resident, long Idou)> MoveInNoticeAsync(SrsDbContext db, RegisterService register, Caller caller, CsMessage message, CancellationToken ct)
    {
        var person = message.Person ?? throw Review("person", "対象者の情報がありません。");
        CheckText(person.Destination, "person.destination");
        var current = await PersonOfAsync(db, person.ResidentCode, ct);
        var destination = new AddressValue("", "", "", 0, "", "", person.PostalCode, message.SenderCode, person.Destination.Trim(), "");
        var result = await register.MoveInNoticeAsync(caller, "cs-in-" + message.MessageId, new ResidentRefValue(current.ResidentNumber, current.ETag),
            Date(message.NotifiedDate, "notified_date"), Date(message.IdouDate, "idou_date"), destination, [], ct);
        return (current.ResidentNumber, result.IdouId);
    }

    /// <summary>The most 住民票コード one 更新対象者 message may name.</summary>
    private const int MaxTargets = 5000;

    /// <summary>The city's resident with this 住民票コード (their current version); for a clerk when none or several.</summary>
    private static async Task<PersonVersion> PersonOfAsync(SrsDbContext db, string code, CancellationToken ct)
    {
        var numbers = (await db.PersonVersions.AsNoTracking().Where(p => p.ResidentCode == code && code != "").Select(p => p.ResidentNumber).ToListAsync(ct)).Distinct().ToList();
        if (numbers.Count != 1)
        {
            throw Review("person.resident_code", numbers.Count == 0 ? $"住民票コード {code} の住民 (除票を含む) がありません。" : $"住民票コード {code} の住民が複数います。");
        }
        return await db.PersonVersions.AsNoTracking().Where(p => p.ResidentNumber == numbers[0]).OrderByDescending(p => p.HistoryNumber).FirstAsync(ct);
    }

    /// <summary>文字化け (a replacement or control character) or 桁あふれ is for a clerk to see and correct.</summary>
    private static void CheckText(string text, string field)
    {
        if (text.Length > 400 || text.Any(c => c == '\uFFFD' || char.IsControl(c)))
        {
            throw Review(field, "文字化けまたは桁あふれがあります。");
        }
    }

    private static DateOnly? Date(string text, string field) =>
        text.Length == 0 ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw Review(field, $"日付「{text}」が読めません。");

    private static DomainException Review(string field, string message) =>
        new(ErrorKind.InvalidArgument, ErrorReasons.CsMessageState, message, [new FieldViolation(field, message)]);

    private async Task<int> AddAsync(SrsDbContext db, IServiceProvider services, Caller caller, CsMessage message, CsInboundState state, string result, string resident, long? idou,
        CancellationToken ct, IReadOnlyList<string>? touched = null)
    {
        db.CsInbound.Add(new CsInboundMessage
        {
            TenantCode = caller.TenantCode,
            Id = await services.GetRequiredService<NumberIssuer>().NextAsync(caller.TenantCode, NumberKinds.CsInbound, ct),
            MessageId = message.MessageId,
            Kind = KindName(message.Kind),
            SenderCode = message.SenderCode,
            RecipientCode = message.RecipientCode,
            ResidentCode = message.Person?.ResidentCode ?? "",
            ResidentNumber = resident,
            Message = message.ToByteArray(),
            ReceivedAt = time.GetUtcNow().UtcDateTime,
            State = state,
            Result = result,
            IdouId = idou,
            ConcurrencyStamp = Guid.NewGuid(),
        });
        await services.GetRequiredService<AccessLogWriter>().AppendAsync(caller, new AccessRecord("7.1.1.1 CS からの受信", touched ?? (resident.Length > 0 ? [resident] : []), false,
            AccessLogWriter.Ok, $"{KindName(message.Kind)} {message.MessageId} ({message.SenderCode} → {message.RecipientCode}): {result}"), ct);
        return 1;
    }
}
