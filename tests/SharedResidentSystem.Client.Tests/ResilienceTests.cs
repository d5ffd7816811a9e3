using Grpc.Core;

namespace SharedResidentSystem.Client.Tests;

/// <summary>Which failures the client repeats by itself (each repeat carries the same request id).</summary>
public class ResilienceTests
{
    [Fact]
    public void A_call_the_server_never_saw_is_repeated_and_a_server_error_is_not()
    {
        Assert.True(Resilience.IsTransient(new RpcException(new Status(StatusCode.Unavailable, "down"))));
        Assert.True(Resilience.IsTransient(new RpcException(new Status(StatusCode.DeadlineExceeded, "slow"))));
        // The connection failed before the call started (an HTTP/2 handshake a restarting server never finished).
        var handshake = new System.Net.Http.HttpRequestException("An HTTP/2 connection could not be established because the server did not complete the HTTP/2 handshake.");
        Assert.True(Resilience.IsTransient(new RpcException(new Status(StatusCode.Internal, "Error starting gRPC call.", handshake))));
        // An error the server answered is its answer.
        Assert.False(Resilience.IsTransient(new RpcException(new Status(StatusCode.Internal, "bug"))));
        Assert.False(Resilience.IsTransient(new RpcException(new Status(StatusCode.InvalidArgument, "bad"))));
    }
}
