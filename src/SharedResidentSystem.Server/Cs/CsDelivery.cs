using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Contracts.JukiNet.V1;
using SharedResidentSystem.Core.Cs;
using SharedResidentSystem.Core.Errors;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;

namespace SharedResidentSystem.Server.Cs;

/// <summary>Where the 住基ネット CS is (7.1.1.1); no address: messages wait in the outbox.</summary>
public sealed class CsOptions
{
    public const string Section = "Cs";

    /// <summary>The CS (or the emulator) as an http:// or https:// address.</summary>
    public string? Address { get; set; }

    /// <summary>How often (seconds) each city's waiting messages are looked for.</summary>
    public double PollSeconds { get; set; } = 1;

    /// <summary>The longest wait (seconds) between attempts while the CS cannot be reached.</summary>
    public double MaxBackoffSeconds { get; set; } = 30;

    /// <summary>How long (seconds) one message may take before it counts as not answered.</summary>
    public double DeadlineSeconds { get; set; } = 10;
}

/// <summary>
/// Sends each city's CS messages in outbox order (the order of its 異動), one at a time, until the
/// CS acknowledges each. A CS that cannot be reached is tried again with a growing wait; the
/// message is sent again with the same id, so the CS takes it once. A message the CS refuses
/// stops that city's queue (nothing may overtake it) and waits, with the CS's reason, for a
/// clerk to correct and send it again or complete it by hand (CsLinkService).
/// </summary>
public sealed partial class CsDelivery(IServiceScopeFactory scopes, TenantDirectory tenants, TimeProvider time, IOptions<CsOptions> options, CsConnection connection, CsInbox inbox,
    ILogger<CsDelivery> logger)
    : BackgroundService
{
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (connection.Client is not { } client)
        {
            return;
        }
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        var backoff = poll;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var unreachable = false;
                var waiting = await WaitingCitiesAsync(stoppingToken);
                foreach (var code in tenants.Codes.Where(waiting.Contains))
                {
                    unreachable |= await DeliverQuietlyAsync(client, code, stoppingToken) == Outcome.Unreachable;
                }
                unreachable |= await ReceiveQuietlyAsync(client, stoppingToken) == Outcome.Unreachable;
                connection.Record(!unreachable, time.GetUtcNow());
                backoff = unreachable ? TimeSpan.FromSeconds(Math.Min(backoff.TotalSeconds * 2, options.Value.MaxBackoffSeconds)) : poll;
                // An infrastructure timer: the wait between rounds is real time, not the register's clock.
                await Task.Delay(backoff, TimeProvider.System, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public enum Outcome
    {
        Done,
        Held,
        Unreachable,
    }

    /// <summary>The cities with a CS message not yet sent (none when the database cannot say: the round sends nothing).</summary>
    private async Task<HashSet<string>> WaitingCitiesAsync(CancellationToken cancellationToken)
    {
        try
        {
            // No caller: the one read across cities, of their codes.
            using var scope = scopes.CreateScope();
            return await CsOutbox.CitiesWithUnsentAsync(scope.ServiceProvider.GetRequiredService<SrsDbContext>(), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var withheld = Common.WithheldException.Of(e);
            LogFailed(logger, "*", withheld);
            return [];
        }
    }

    private async Task<Outcome> DeliverQuietlyAsync(CsGateway.CsGatewayClient client, string code, CancellationToken cancellationToken)
    {
        try
        {
            return await DeliverAsync(client, code, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var withheld = Common.WithheldException.Of(e);
            LogFailed(logger, code, withheld);
            return Outcome.Unreachable;
        }
    }

    /// <summary>Takes what the CS has for the joint system until it has nothing more (CsInbox).</summary>
    private async Task<Outcome> ReceiveQuietlyAsync(CsGateway.CsGatewayClient client, CancellationToken cancellationToken)
    {
        try
        {
            while (await inbox.ReceiveAsync(client, TimeSpan.FromSeconds(options.Value.DeadlineSeconds), cancellationToken))
            {
            }
            return Outcome.Done;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var withheld = Common.WithheldException.Of(e);
            LogReceiveFailed(logger, withheld);
            return Outcome.Unreachable;
        }
    }

    /// <summary>Sends what one city has waiting, in order, until done, held or the CS is out of reach.</summary>
    public async Task<Outcome> DeliverAsync(CsGateway.CsGatewayClient client, string code, CancellationToken cancellationToken)
    {
        if (tenants.Get(code).CsManual)
        {
            return Outcome.Held;
        }
        using var scope = scopes.CreateScope();
        scope.ServiceProvider.GetRequiredService<CallerContext>().Set(new Caller(code, "cs-link", "server", new HashSet<string>()));
        var db = scope.ServiceProvider.GetRequiredService<SrsDbContext>();
        // The unsent rows in order: a refused one is always the first (nothing is sent after it).
        var rows = await db.Outbox.Where(m => m.Topic == CsOutbox.Topic && m.State != OutboxState.Sent)
            .OrderBy(m => m.Id).Take(BatchSize).ToListAsync(cancellationToken);
        var characters = new UnifiedCharacters(tenants.Get(code).CsCharacters);
        foreach (var row in rows)
        {
            if (row.State == OutboxState.Failed)
            {
                return Outcome.Held;
            }
            var idou = await db.Idous.AsNoTracking().SingleAsync(i => i.Id == row.IdouId, cancellationToken);
            var person = await db.PersonVersions.AsNoTracking()
                .Where(p => p.ResidentNumber == row.ResidentNumber && p.IdouId <= row.IdouId)
                .OrderByDescending(p => p.IdouId).ThenByDescending(p => p.HistoryNumber)
                .FirstAsync(cancellationToken);
            var designation = row.Category == CsOutbox.DeliveryAddress ? await DeliveryAddresses.InForceAsync(db, row.ResidentNumber, row.Id, cancellationToken) : null;
            CsMessage message;
            try
            {
                message = CsMessages.Build(row, idou, person, characters, designation);
            }
            catch (DomainException unconvertible)
            {
                // Not sendable as it is: held, like a refusal of the CS, until the city converts the characters and sends it again.
                row.State = OutboxState.Failed;
                row.Result = Core.Audit.AccessLogWriter.Storable((row.Result.Length > 0 ? row.Result + " → " : "") + unconvertible.Message, 400);
                row.ConcurrencyStamp = Guid.NewGuid();
                await db.SaveChangesAsync(cancellationToken);
                return Outcome.Held;
            }
            try
            {
                // The deadline is real time (the wire's), not the register's clock.
                var receipt = await client.SubmitAsync(message, deadline: TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(options.Value.DeadlineSeconds), cancellationToken: cancellationToken);
                row.State = OutboxState.Sent;
                row.SentAt = time.GetUtcNow().UtcDateTime;
                Core.Telemetry.SrsTelemetry.OutboxLag.Record(Math.Max(0, (row.SentAt.Value - row.CreatedAt).TotalSeconds),
                    new KeyValuePair<string, object?>("srs.city", code), new KeyValuePair<string, object?>("srs.outbox.topic", row.Topic));
                row.Result = (row.Result.Length > 0 ? row.Result + " → " : "")
                    + (receipt.Duplicate ? "受信済み (再送を重複として受領)" : "受信") + (receipt.IndividualNumber.Length > 0 ? $" 個人番号 {receipt.IndividualNumber}" : "")
                    + (receipt.CertificateSerial.Length > 0 ? $" {CsMessages.SerialMark} {receipt.CertificateSerial}" : "");
            }
            catch (RpcException e) when (Transient(e))
            {
                return Outcome.Unreachable;
            }
            catch (RpcException e)
            {
                row.State = OutboxState.Failed;
                row.Result = (row.Result.Length > 0 ? row.Result + " → " : "") + $"CS が受け付けませんでした: {e.Status.Detail}";
            }
            row.ConcurrencyStamp = Guid.NewGuid();
            if (CsOutbox.AsksForNumber(row.Category) && row.State == OutboxState.Sent && NumberIn(row.Result) is { } generated)
            {
                // 7.1.2.1: the generated 個人番号 is taken into the register with the row's state, in one
                // transaction; the round ends there (the transaction clears what this one tracked).
                return await TakeNumberAsync(scope.ServiceProvider, row, generated, cancellationToken) == OutboxState.Failed ? Outcome.Held : Outcome.Done;
            }
            else
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            if (row.State == OutboxState.Failed)
            {
                return Outcome.Held;
            }
        }
        return Outcome.Done;
    }

    private static string? NumberIn(string result)
    {
        var at = result.LastIndexOf("個人番号 ", StringComparison.Ordinal);
        return at < 0 ? null : result[(at + "個人番号 ".Length)..].Split(' ')[0];
    }

    /// <summary>
    /// 個人番号の職権記載 of the generated number, as a 異動 like a clerk's (history, its own CS
    /// messages, the access log), with the request's state, in one transaction. Taken once: a
    /// resident who already has this number is left as is; one with another number is not
    /// changed, and the request is held for a clerk with the reason.
    /// </summary>
    private async Task<OutboxState> TakeNumberAsync(IServiceProvider services, OutboxMessage sent, string number, CancellationToken cancellationToken)
    {
        var transaction = services.GetRequiredService<RegisterTransaction>();
        var register = services.GetRequiredService<RegisterService>();
        var log = services.GetRequiredService<Core.Audit.AccessLogWriter>();
        var caller = services.GetRequiredService<CallerContext>().Required;
        var (state, result, stamp) = (sent.State, sent.Result, sent.ConcurrencyStamp);
        try
        {
            return await transaction.RunAsync(ct => RecordNumberAsync(transaction.Db, register, log, caller, sent.Id, number, state, result, stamp, ct), cancellationToken);
        }
        catch (DomainException refused)
        {
            // The register refused the 記載 (a protected resident, a changed record …): held for a clerk with the reason.
            return await transaction.RunAsync(async ct =>
            {
                var row = await transaction.Db.Outbox.SingleAsync(m => m.Id == sent.Id, ct);
                (row.State, row.Result, row.SentAt, row.ConcurrencyStamp) = (OutboxState.Failed, $"{result} → 取込めません: {refused.Message}", time.GetUtcNow().UtcDateTime, Guid.NewGuid());
                return row.State;
            }, cancellationToken);
        }
    }

    private async Task<OutboxState> RecordNumberAsync(SrsDbContext db, RegisterService register, Core.Audit.AccessLogWriter log, Caller caller, long id, string number,
        OutboxState state, string result, Guid stamp, CancellationToken ct)
    {
        var row = await db.Outbox.SingleAsync(m => m.Id == id, ct);
        (row.State, row.Result, row.SentAt, row.ConcurrencyStamp) = (state, result, time.GetUtcNow().UtcDateTime, stamp);
        var current = await db.PersonVersions.AsNoTracking().Where(p => p.ResidentNumber == row.ResidentNumber)
            .OrderByDescending(p => p.HistoryNumber).FirstAsync(ct);
        if (current.IndividualNumber == number)
        {
            return row.State;
        }
        // A new number replaces the one the 変更要求 was made for, nothing else; a first number needs none.
        var replaced = row.Category == CsOutbox.IndividualNumberChangeRequest
            ? (await db.PersonVersions.AsNoTracking().SingleAsync(p => p.ResidentNumber == row.ResidentNumber && p.IdouId == row.IdouId, ct)).IndividualNumber
            : "";
        if (current.IndividualNumber != replaced)
        {
            row.State = OutboxState.Failed;
            row.Result += replaced.Length == 0
                ? $" → 取込めません: 個人番号 {current.IndividualNumber} が記載済みです"
                : $" → 取込めません: 変更要求の後に個人番号が {current.IndividualNumber} に変わっています";
            return row.State;
        }
        // Dated as the 異動 that asked for the number (the person has it from then), so that a 異動
        // the counter enters later with an earlier date is not put after it.
        var request = await db.Idous.AsNoTracking().SingleAsync(i => i.Id == row.IdouId, ct);
        var asked = request.OccurredOn;
        var reason = row.Category == CsOutbox.IndividualNumberChangeRequest ? request.Reason : IdouReasons.IndividualNumberOfficialEntry;
        await register.AmendAsync(caller, CsMessages.MessageId(row.TenantCode, row.Id), new AmendmentCommand(reason, row.ResidentNumber, current.ETag,
            new CorrectionValues(null, null, null, null, null, null) { IndividualNumber = number }, asked, null,
            $"住基ネットで生成された個人番号の取込 (電文 {CsMessages.MessageId(row.TenantCode, row.Id)})", []), ct);
        row.Result += " → 取込済み";
        await log.AppendAsync(caller, new Core.Audit.AccessRecord("7.1.2.1 個人番号の取込", [row.ResidentNumber], true, Core.Audit.AccessLogWriter.Ok, CsMessages.MessageId(row.TenantCode, row.Id)), ct);
        return row.State;
    }

    private static bool Transient(RpcException e) =>
        e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.ResourceExhausted
        || e.StatusCode is StatusCode.Internal or StatusCode.Unknown && e.Status.DebugException is HttpRequestException or IOException;

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Messages from the CS could not be received")]
    private static partial void LogReceiveFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "CS messages of {City} could not be delivered")]
    private static partial void LogFailed(ILogger logger, string city, Exception exception);
}
