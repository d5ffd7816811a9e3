using System.CommandLine;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using SharedResidentSystem.Client;
using SharedResidentSystem.Contracts.Link.V1;

// srs-link: the reference subscriber of a city's other systems (7.2). It receives the city's
// register as the system may (全件, then every change), writes each event as one JSON line, and
// keeps the resume token of the last event it wrote in a file, so that it comes back after a
// restart of itself or of the register with nothing missed (an event written just before a
// crash may come once more: a receiving system keys its rows by 宛名番号 and 異動番号).
var address = new Option<string>("--address") { Description = "The register (default http://127.0.0.1:5080).", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
var clientId = new Option<string>("--client-id") { Description = "linked.{団体コード}.{system id}, as srs-admin link secret answered." };
var secret = new Option<string>("--secret") { Description = "The system's secret (or SRS_LINK_SECRET)." };
var token = new Option<string>("--token") { Description = "A token instead of a sign-in (development: srs-token --role linked-system --staff {system id})." };
var state = new Option<FileInfo>("--state") { Description = "Where the resume token is kept (default ./srs-link.state).", DefaultValueFactory = _ => new FileInfo("srs-link.state") };
var output = new Option<FileInfo?>("--out") { Description = "The JSON lines file events are appended to (default: standard output)." };
var idle = new Option<double>("--exit-when-idle") { Description = "Stop after this many seconds without an event (0: run until Ctrl+C)." };
var root = new RootCommand("srs-link — receives a city's register as one of its linked systems (宛名連携 7.2.3, 抑止 3.2, 戸籍附票 7.2.4).\n" +
    "Exit codes: 0 stopped, 2 wrong arguments, 3 refused by the register (sign-in, token, configuration).")
{
    address, clientId, secret, token, state, output, idle,
};
root.SetAction(async (parsed, ct) =>
{
    if (!Uri.TryCreate(parsed.GetValue(address), UriKind.Absolute, out var register))
    {
        await Console.Error.WriteLineAsync("srs-link: --address は http://host:port の形で指定してください。");
        return 2;
    }
    var options = new LinkOptions(register, parsed.GetValue(clientId) ?? "", parsed.GetValue(secret) ?? Environment.GetEnvironmentVariable("SRS_LINK_SECRET") ?? "",
        parsed.GetValue(token) ?? "", parsed.GetValue(state)!, parsed.GetValue(output), parsed.GetValue(idle));
    if (options.Token.Length == 0 && (options.ClientId.Length == 0 || options.Secret.Length == 0))
    {
        await Console.Error.WriteLineAsync("srs-link: --client-id と --secret (または --token) を指定してください。");
        return 2;
    }
    return await LinkSubscriber.RunAsync(options, ct);
});
return await root.Parse(args).InvokeAsync();

internal sealed record LinkOptions(Uri Address, string ClientId, string Secret, string Token, FileInfo State, FileInfo? Output, double IdleSeconds);

internal static class LinkSubscriber
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default);

    public static async Task<int> RunAsync(LinkOptions options, CancellationToken cancellationToken)
    {
        using var signIn = new StaffSignIn(options.Address, options.ClientId);
        using var channel = GrpcChannel.ForAddress(options.Address);
        var client = new LinkService.LinkServiceClient(channel);
        await using var sink = options.Output is null ? Console.OpenStandardOutput() : new FileStream(options.Output.FullName, FileMode.Append, FileAccess.Write, FileShare.Read);
        var wait = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                var bearer = options.Token;
                if (bearer.Length == 0)
                {
                    var outcome = await signIn.SignInAsSystemAsync(options.Secret, stop.Token);
                    if (!outcome.Succeeded)
                    {
                        await Console.Error.WriteLineAsync($"srs-link: サインインできません: {outcome.Message}");
                        return 3;
                    }
                    bearer = signIn.Token()!;
                }
                var resume = File.Exists(options.State.FullName) ? (await File.ReadAllTextAsync(options.State.FullName, stop.Token)).Trim() : "";
                using var call = client.Subscribe(new SubscribeRequest { ResumeToken = resume }, new Metadata { { "Authorization", "Bearer " + bearer } }, cancellationToken: stop.Token);
                await Console.Error.WriteLineAsync($"srs-link: 受信を始めます ({(resume.Length == 0 ? "全件から" : "前回の続きから")})。");
                while (true)
                {
                    var next = call.ResponseStream.MoveNext(stop.Token);
                    // Idleness is real time (system clock).
                    if (options.IdleSeconds > 0 && await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(options.IdleSeconds), TimeProvider.System, stop.Token)) != next)
                    {
                        await Console.Error.WriteLineAsync("srs-link: 新しい変更がないため終了します。");
                        await stop.CancelAsync();
                        return 0;
                    }
                    if (!await next)
                    {
                        break;
                    }
                    var e = call.ResponseStream.Current;
                    await sink.WriteAsync(System.Text.Encoding.UTF8.GetBytes(Json.Format(e) + "\n"), stop.Token);
                    await sink.FlushAsync(stop.Token);
                    await KeepAsync(options.State, e.ResumeToken, stop.Token);
                    wait = TimeSpan.FromSeconds(1);
                }
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.PermissionDenied or StatusCode.InvalidArgument or StatusCode.Unauthenticated)
            {
                await Console.Error.WriteLineAsync($"srs-link: 登録システムが受信を断りました: {e.Status.Detail}");
                return 3;
            }
            catch (Exception e) when ((e is RpcException or HttpRequestException) && !cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync($"srs-link: 接続が切れました。{wait.TotalSeconds:0} 秒後に続きから受信します。");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 0;
            }
            try
            {
                // Waiting to reconnect is real waiting (system clock).
                await Task.Delay(wait, TimeProvider.System, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
            wait = TimeSpan.FromSeconds(Math.Min(wait.TotalSeconds * 2, 10));
        }
        return 0;
    }

    /// <summary>The token of the last event written, replaced whole (a crash leaves the old one or the new one).</summary>
    private static async Task KeepAsync(FileInfo state, string token, CancellationToken cancellationToken)
    {
        var temporary = state.FullName + ".new";
        await File.WriteAllTextAsync(temporary, token, cancellationToken);
        File.Move(temporary, state.FullName, overwrite: true);
    }
}
