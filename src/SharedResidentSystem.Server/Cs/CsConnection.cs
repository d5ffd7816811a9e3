using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Contracts.JukiNet.V1;

namespace SharedResidentSystem.Server.Cs;

/// <summary>The one channel to the CS (Cs:Address), shared by the link and the consistency check.</summary>
public sealed class CsConnection(IOptions<CsOptions> options) : IDisposable
{
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
