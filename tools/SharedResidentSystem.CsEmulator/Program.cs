using Microsoft.AspNetCore.Server.Kestrel.Core;
using SharedResidentSystem.CsEmulator;

// srs-cs-emulator [--port 5090] [--data DIR] [--members 132225,132110,132136] [--submit-delay-ms 0] [--stream-delay-ms 0]
var builder = WebApplication.CreateBuilder(args);
var port = builder.Configuration.GetValue("port", 5090);
var data = builder.Configuration.GetValue<string>("data") ?? Path.Combine("data", "cs-emulator");
var members = (builder.Configuration.GetValue<string>("members") ?? "132225,132110,132136")
    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port, o => o.Protocols = HttpProtocols.Http2));
builder.Services.AddGrpc();
// --submit-delay-ms: how long each message takes to be taken (a slow line), for tests that stop the register mid-delivery.
var delay = TimeSpan.FromMilliseconds(builder.Configuration.GetValue("submit-delay-ms", 0));
// --stream-delay-ms: how long each 本人確認情報 of a 整合性確認 takes to come (a slow line), for tests that stop the register mid-check.
var streamDelay = TimeSpan.FromMilliseconds(builder.Configuration.GetValue("stream-delay-ms", 0));
builder.Services.AddSingleton(new ReceivedStore(Path.GetFullPath(data), members) { SubmitDelay = delay, StreamDelay = streamDelay });
builder.Services.AddSingleton(new InboundStore(Path.GetFullPath(data)));
var app = builder.Build();
app.MapGrpcService<CsGatewayService>();
app.MapGet("/", () => "srs-cs-emulator: a stand-in for the 住基ネット CS (gRPC jukinet.cs.v1.CsGateway)");
Console.WriteLine($"srs-cs-emulator on http://127.0.0.1:{port} for {string.Join(",", members)}, data in {Path.GetFullPath(data)}");
await app.RunAsync();
