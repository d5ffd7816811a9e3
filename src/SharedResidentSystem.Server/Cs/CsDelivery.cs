using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Contracts.JukiNet.V1;
using SharedResidentSystem.Core.Cs;
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
public sealed partial class CsDelivery(IServiceScopeFactory scopes, TenantDirectory tenants, TimeProvider time, IOptions<CsOptions> options, ILogger<CsDelivery> logger)
    : BackgroundService
{
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.Address))
        {
            return;
        }
        using var channel = GrpcChannel.ForAddress(options.Value.Address);
        var client = new CsGateway.CsGatewayClient(channel);
        var poll = TimeSpan.FromSeconds(options.Value.PollSeconds);
        var backoff = poll;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var unreachable = false;
                foreach (var code in tenants.Codes)
                {
                    unreachable |= await DeliverQuietlyAsync(client, code, stoppingToken) == Outcome.Unreachable;
                }
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

    private async Task<Outcome> DeliverQuietlyAsync(CsGateway.CsGatewayClient client, string code, CancellationToken cancellationToken)
    {
        try
        {
            return await DeliverAsync(client, code, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, code, e);
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
        if (await db.Outbox.AnyAsync(m => m.Topic == CsOutbox.Topic && m.State == OutboxState.Failed, cancellationToken))
        {
            return Outcome.Held;
        }
        var rows = await db.Outbox.Where(m => m.Topic == CsOutbox.Topic && m.State == OutboxState.Pending)
            .OrderBy(m => m.Id).Take(BatchSize).ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            var idou = await db.Idous.AsNoTracking().SingleAsync(i => i.Id == row.IdouId, cancellationToken);
            var person = await db.PersonVersions.AsNoTracking()
                .Where(p => p.ResidentNumber == row.ResidentNumber && p.IdouId <= row.IdouId)
                .OrderByDescending(p => p.IdouId).ThenByDescending(p => p.HistoryNumber)
                .FirstAsync(cancellationToken);
            var message = CsMessages.Build(row, idou, person);
            try
            {
                var receipt = await client.SubmitAsync(message, deadline: time.GetUtcNow().UtcDateTime.AddSeconds(options.Value.DeadlineSeconds), cancellationToken: cancellationToken);
                row.State = OutboxState.Sent;
                row.SentAt = time.GetUtcNow().UtcDateTime;
                row.Result = (row.Result.Length > 0 ? row.Result + " → " : "")
                    + (receipt.Duplicate ? "受信済み (再送を重複として受領)" : "受信") + (receipt.IndividualNumber.Length > 0 ? $" 個人番号 {receipt.IndividualNumber}" : "");
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
            await db.SaveChangesAsync(cancellationToken);
            if (row.State == OutboxState.Failed)
            {
                return Outcome.Held;
            }
        }
        return Outcome.Done;
    }

    private static bool Transient(RpcException e) =>
        e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.ResourceExhausted
        || e.StatusCode is StatusCode.Internal or StatusCode.Unknown && e.Status.DebugException is HttpRequestException or IOException;

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "CS messages of {City} could not be delivered")]
    private static partial void LogFailed(ILogger logger, string city, Exception exception);
}
