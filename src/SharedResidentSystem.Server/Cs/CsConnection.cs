using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Contracts.JukiNet.V1;

namespace SharedResidentSystem.Server.Cs;

/// <summary>
/// The one channel to the CS (Cs:Address), shared by the link and the consistency check, and how
/// the link last fared with it (7.1.2.4 住基ネットの稼働状況).
/// </summary>
public sealed class CsConnection(IOptions<CsOptions> options) : IDisposable
{
    private readonly Lock _lock = new();
    private (DateTimeOffset? Contact, DateTimeOffset? Failure) _fared;

    /// <summary>When the link last reached the CS, and when it last could not (null: not yet).</summary>
    public (DateTimeOffset? Contact, DateTimeOffset? Failure) Fared
    {
        get
        {
            lock (_lock)
            {
                return _fared;
            }
        }
    }

    /// <summary>One round of the link: the CS answered, or could not be reached.</summary>
    public void Record(bool reached, DateTimeOffset at)
    {
        lock (_lock)
        {
            _fared = reached ? (at, _fared.Failure) : (_fared.Contact, at);
        }
    }

    private readonly Lazy<GrpcChannel?> _channel = new(() =>
        string.IsNullOrWhiteSpace(options.Value.Address) ? null : GrpcChannel.ForAddress(options.Value.Address));

    /// <summary>The CS's client; null when no CS is configured.</summary>
    public CsGateway.CsGatewayClient? Client => _channel.Value is { } channel ? new CsGateway.CsGatewayClient(channel) : null;

    public void Dispose()
    {
        if (_channel.IsValueCreated)
        {
            _channel.Value?.Dispose();
        }
    }
}
