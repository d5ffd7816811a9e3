using Grpc.AspNetCore.Web;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SharedResidentSystem.Server.Hosting;

namespace SharedResidentSystem.Server.Counter;

/// <summary>
/// The browser counter (issue 22) on its own port: the Blazor WebAssembly app's files under
/// /counter/, every gRPC service over gRPC-Web (the same services and pipeline, no second API)
/// and the sign-in. Browsers do not speak HTTP/2 without TLS, so the port speaks HTTP/1.1 (and
/// HTTP/2 when the server has a certificate); the gRPC port stays h2c for the programs.
/// </summary>
public static class CounterHosting
{
    public const string PathBase = "/counter";

    /// <summary>Where the sign-in sends the counter back with its code (authorization code with PKCE).</summary>
    public const string SignedInPath = PathBase + "/signed-in";

    /// <summary>The counter's own address as the server's settings make it (null: no counter port).</summary>
    public static Uri? Address(ServerOptions server)
    {
        if (server.CounterPort == 0)
        {
            return null;
        }
        var scheme = string.IsNullOrWhiteSpace(server.CertificatePath) ? "http" : "https";
        var host = System.Net.IPAddress.Parse(server.Host);
        // Listening on every address: the operator names the address staff reach (Auth:SignIn:BrowserRedirectUris).
        var shown = host.Equals(System.Net.IPAddress.Any) || host.Equals(System.Net.IPAddress.IPv6Any) ? "localhost"
            : host.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{host}]" : host.ToString();
        return new Uri($"{scheme}://{shown}:{server.CounterPort}{PathBase}/");
    }

    public static WebApplicationBuilder AddCounter(this WebApplicationBuilder builder, ServerOptions server, SignInOptions signIn)
    {
        if (Address(server) is not { } address)
        {
            return builder;
        }
        // The counter's files come from the build output as static web assets in every
        // environment (./run.sh runs the build, not a publish).
        builder.WebHost.UseStaticWebAssets();
        var redirect = new Uri(address, "signed-in").ToString();
        if (!signIn.BrowserRedirectUris.Contains(redirect, StringComparer.Ordinal))
        {
            signIn.BrowserRedirectUris.Add(redirect);
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Parse(server.Host), server.CounterPort, listen =>
            {
                if (string.IsNullOrWhiteSpace(server.CertificatePath))
                {
                    listen.Protocols = HttpProtocols.Http1;
                }
                else
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(server.CertificatePath, server.CertificatePassword);
                }
            });
        });
        return builder;
    }

    /// <summary>gRPC-Web for every service; before the services are mapped.</summary>
    public static WebApplication UseCounterProtocol(this WebApplication app)
    {
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        return app;
    }

    /// <summary>The counter's pages: the app's files, and its index for every page of it (the app routes in the browser).</summary>
    public static WebApplication MapCounter(this WebApplication app)
    {
        if (Address(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ServerOptions>>().Value) is null)
        {
            return app;
        }
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.Value == PathBase)
            {
                // The app's relative addresses need the trailing slash.
                context.Response.Redirect(PathBase + "/");
                return;
            }
            if (context.Request.Path.StartsWithSegments(PathBase, StringComparison.Ordinal))
            {
                var headers = context.Response.Headers;
                // Its own pages only: no framing by another site, no guessing of types, no referrer
                // carrying a query to elsewhere; scripts from here (WebAssembly needs wasm-unsafe-eval).
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
                    + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; frame-src 'self' blob:; object-src 'self' blob:; "
                    + "connect-src 'self'; font-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'";
            }
            await next(context);
        });
        app.MapPost(PathBase + "/mj-font", MjFontAsync);
        app.MapStaticAssets();
        app.MapFallbackToFile(PathBase.TrimStart('/') + "/{*path:nonfile}", PathBase.TrimStart('/') + "/index.html");
        return app;
    }

    /// <summary>At most this many characters in one font asked for (a screen holds far fewer).</summary>
    public const int MaxFontCharacters = 4000;

    /// <summary>
    /// The screens' MJ font (issue 22): IPAmj明朝, the certificates' font, cut down to the
    /// characters the page shows (variation selectors included, so an IVS keeps its glyph). The
    /// characters come in the body (names stay out of addresses and logs); no sign-in is needed,
    /// as for the font of a printed certificate.
    /// </summary>
    private static async Task<IResult> MjFontAsync(HttpContext http, Documents.PdfCertificateRenderer renderer)
    {
        using var reader = new StreamReader(http.Request.Body, System.Text.Encoding.UTF8);
        var buffer = new char[(MaxFontCharacters * 2) + 1];
        var read = await reader.ReadBlockAsync(buffer, http.RequestAborted);
        if (read == buffer.Length)
        {
            return Results.Problem($"一度に求められる文字は {MaxFontCharacters} 字までです。", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        var codePoints = new SortedSet<int>();
        foreach (var rune in new string(buffer, 0, read).EnumerateRunes())
        {
            if (rune.Value > 0x7F && rune != System.Text.Rune.ReplacementChar)
            {
                codePoints.Add(rune.Value);
            }
        }
        if (codePoints.Count > MaxFontCharacters)
        {
            return Results.Problem($"一度に求められる文字は {MaxFontCharacters} 字までです。", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        http.Response.Headers.CacheControl = "no-store";
        return Results.File(renderer.FontSubset([.. codePoints]), "font/ttf");
    }
}
