using System.Text.Json;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Staff;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Hosting;
using SharedResidentSystem.Server.Security;
using static OpenIddict.Abstractions.OpenIddictConstants;
using OAuthErrors = OpenIddict.Abstractions.OpenIddictConstants.Errors;

namespace SharedResidentSystem.Server.SignIn;

/// <summary>The sign-in service's issuer and audience, as its tokens state them.</summary>
public sealed record SignInSettings(string Issuer, string Audience);

/// <summary>
/// The staff sign-in service (OpenIddict with ASP.NET Core Identity) hosted in the server's
/// process: its store (StaffDbContext, in the register's database), its endpoints
/// (/connect/token: password with TOTP for the programs, refresh tokens, authorization code with
/// PKCE; /connect/authorize: the sign-in page of the browser counter), its clients and its
/// signing keys; and, when configured, the demonstration staff.
/// </summary>
public static class SignInHosting
{
    public const string TokenPath = "/connect/token";
    public const string AuthorizePath = "/connect/authorize";

    /// <summary>The public clients: the three programs (password grant) and the browser counter (authorization code with PKCE).</summary>
    public static readonly IReadOnlyList<string> ProgramClients = ["srs-terminal", "srs-admin", "srs-audit"];
    public const string BrowserClient = "srs-counter";

    public static SignInSettings Settings(AuthOptions auth, ServerOptions server)
    {
        var scheme = string.IsNullOrWhiteSpace(server.CertificatePath) ? "http" : "https";
        var issuer = string.IsNullOrWhiteSpace(auth.SignIn.Issuer) ? $"{scheme}://{server.Host}:{server.Port}/" : auth.SignIn.Issuer;
        return new SignInSettings(issuer, auth.SignIn.Audience);
    }

    /// <summary>The sign-in as a trusted issuer of this server: its keys from the shared directory.</summary>
    public static TrustedIssuer Issuer(SignInSettings settings) =>
        new(new IssuerOptions { Name = "sign-in", Issuer = settings.Issuer, Audience = settings.Audience, ClockSkewSeconds = 60 }, AnyCity: true)
        {
            LocalKeys = (services, keyId) => services.GetRequiredService<SigningKeyRing>().Resolve(keyId),
        };

    public static void AddStaffSignIn(this IServiceCollection services, AuthOptions auth, ServerOptions server, string dataDirectory, IStorageProvider provider, string connectionString)
    {
        var options = auth.SignIn;
        var settings = Settings(auth, server);
        services.AddSingleton(settings);
        services.AddSingleton(options);
        services.AddDbContext<StaffDbContext>(o =>
        {
            provider.Configure(o, connectionString, StaffDbContext.HistoryTable);
            o.UseOpenIddict();
            // As the register's context: a failed command surfaces as an exception (the first
            // migration's look for a history table that is not there yet is one).
            o.ConfigureWarnings(w => w.Log((Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandError, LogLevel.Debug),
                (Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.SaveChangesFailed, LogLevel.Debug)));
        });
        services.AddIdentityCore<StaffAccount>(o =>
            {
                o.Password.RequiredLength = options.PasswordMinLength;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 4;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = options.MaxFailedAttempts;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(options.LockoutMinutes);
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@/*";
            })
            .AddEntityFrameworkStores<StaffDbContext>()
            .AddUserManager<StaffUserManager>()
            .AddErrorDescriber<JapaneseIdentityErrors>();
        services.AddScoped<StaffAccounts>();
        services.AddScoped<StaffSignIn>();

        var keyDirectory = string.IsNullOrWhiteSpace(options.KeyDirectory) ? Path.Combine(dataDirectory, "signin-keys") : Path.GetFullPath(options.KeyDirectory);
        // A replaced key verifies as long as the longest-lived token it signed.
        var overlap = TimeSpan.FromHours(options.RefreshTokenHours) + TimeSpan.FromMinutes(options.AccessTokenMinutes) + TimeSpan.FromHours(1);
        services.AddSingleton(sp => new SigningKeyRing(keyDirectory, TimeSpan.FromDays(options.KeyRotationDays), overlap,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SigningKeyRing>>()));
        services.AddHostedService(sp => sp.GetRequiredService<SigningKeyRing>());
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>>(sp => sp.GetRequiredService<SigningKeyRing>());
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>>(sp => sp.GetRequiredService<SigningKeyRing>());
        var encryption = new SymmetricSecurityKey(Convert.FromBase64String(SigningKeys.LoadOrCreateSecret(keyDirectory, "encryption-key.txt")));

        services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<StaffDbContext>())
            .AddServer(o =>
            {
                o.SetIssuer(new Uri(settings.Issuer));
                o.SetTokenEndpointUris(TokenPath.TrimStart('/'));
                o.SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/'));
                o.AllowPasswordFlow();
                o.AllowRefreshTokenFlow();
                o.AllowClientCredentialsFlow();
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.RegisterScopes(Scopes.OpenId, Scopes.OfflineAccess);
                o.SetAccessTokenLifetime(TimeSpan.FromMinutes(options.AccessTokenMinutes));
                o.SetRefreshTokenLifetime(TimeSpan.FromHours(options.RefreshTokenHours));
                o.SetAuthorizationCodeLifetime(TimeSpan.FromMinutes(2));
                o.AddEncryptionKey(encryption);
                // Access tokens are signed JWTs that any resource server (this one, the city's
                // other systems) verifies with the published keys.
                o.DisableAccessTokenEncryption();
                var aspNetCore = o.UseAspNetCore().EnableTokenEndpointPassthrough().EnableAuthorizationEndpointPassthrough();
                if (string.IsNullOrWhiteSpace(server.CertificatePath) && System.Net.IPAddress.TryParse(server.Host, out var host) && System.Net.IPAddress.IsLoopback(host))
                {
                    // Plain HTTP only where nothing beyond this machine can listen; anywhere else
                    // the sign-in is HTTPS (a certificate of the server's, or TLS in front of it).
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });
    }

    public static void MapStaffSignIn(this WebApplication app)
    {
        app.MapPost(TokenPath, TokenAsync);
        app.MapMethods(AuthorizePath, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync);
    }

    private static async Task<IResult> TokenAsync(HttpContext http, StaffSignIn signIn, TenantDirectory tenants, SignInSettings settings)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        StaffSignIn.Outcome outcome;
        if (request.IsPasswordGrantType())
        {
            outcome = await signIn.SignInAsync(http, new StaffSignIn.Attempt(
                (string?)request["tenant"] ?? "", request.Username ?? "", request.Password ?? "", (string?)request["totp"] ?? "",
                (string?)request["terminal"] ?? "", (string?)request["new_password"]), http.RequestAborted);
            outcome.Principal?.SetScopes(request.GetScopes().Intersect([Scopes.OfflineAccess]));
        }
        else if (request.IsRefreshTokenGrantType() || request.IsAuthorizationCodeGrantType())
        {
            var previous = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal;
            outcome = previous is null
                ? StaffSignIn.Outcome.Refused("サインインし直してください。")
                : await signIn.RenewAsync(http, previous, http.RequestAborted);
        }
        else if (request.IsClientCredentialsGrantType())
        {
            // A city's linked system (its secret already checked by the sign-in).
            outcome = LinkedSystemClients.SignIn(request.ClientId, tenants, settings);
        }
        else
        {
            outcome = StaffSignIn.Outcome.Refused("この種類の要求は受け付けません。", OAuthErrors.UnsupportedGrantType);
        }
        return Answer(outcome);
    }

    private static IResult Answer(StaffSignIn.Outcome outcome) => outcome.Principal is { } principal
        ? Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)
        : Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = outcome.Error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = outcome.Description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    /// <summary>The browser counter's sign-in page: the form, and its answer (a code to the counter, or the form again with the error).</summary>
    private static async Task<IResult> AuthorizeAsync(HttpContext http, StaffSignIn signIn)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        var error = "";
        if (HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType && http.Request.Form[SignInPage.Submit] == "1")
        {
            var form = http.Request.Form;
            var outcome = await signIn.SignInAsync(http, new StaffSignIn.Attempt(
                form["tenant"].ToString(), form["username"].ToString(), form["password"].ToString(), form["totp"].ToString(),
                form["terminal"].ToString(), form["new_password"].ToString() is { Length: > 0 } changed ? changed : null), http.RequestAborted);
            if (outcome.Principal is { } principal)
            {
                principal.SetScopes(request.GetScopes().Intersect([Scopes.OpenId, Scopes.OfflineAccess]));
                return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            }
            error = outcome.Description;
        }
        return Results.Content(SignInPage.Render(request, error), "text/html; charset=utf-8");
    }

    /// <summary>Before the server listens: the store's migrations, the clients, the demonstration staff.</summary>
    public static async Task InitializeSignInAsync(IServiceProvider services, bool migrate, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<Hosting.SignInOptions>();
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StaffDbContext>();
        await Storage.StorageStartup.MigrateOrCheckAsync(db, migrate, "staff", cancellationToken);
        foreach (var client in ProgramClients)
        {
            await SaveClientAsync(services, new OpenIddictApplicationDescriptor
            {
                ClientId = client,
                ClientType = ClientTypes.Public,
                DisplayName = client,
                Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.Password, Permissions.GrantTypes.RefreshToken },
            }, cancellationToken);
        }
        var browser = new OpenIddictApplicationDescriptor
        {
            ClientId = BrowserClient,
            ClientType = ClientTypes.Public,
            DisplayName = "窓口 (ブラウザ)",
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in options.BrowserRedirectUris)
        {
            browser.RedirectUris.Add(new Uri(uri));
        }
        await SaveClientAsync(services, browser, cancellationToken);
        if (!string.IsNullOrWhiteSpace(options.DemoStaffFile))
        {
            await DemoStaff.CreateMissingAsync(scope.ServiceProvider, options.DemoStaffFile, cancellationToken);
        }
    }

    /// <summary>
    /// Creates or updates one client. Instances starting at the same moment race for it (the
    /// three-instance test saw an update fail as concurrent): each attempt runs in a scope of its
    /// own, so nothing stale stays tracked, and a create or update another instance made first is
    /// read again and updated.
    /// </summary>
    private static async Task SaveClientAsync(IServiceProvider services, OpenIddictApplicationDescriptor descriptor, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var scope = services.CreateScope();
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            try
            {
                var existing = await applications.FindByClientIdAsync(descriptor.ClientId!, cancellationToken);
                if (existing is null)
                {
                    await applications.CreateAsync(descriptor, cancellationToken);
                }
                else
                {
                    await applications.UpdateAsync(existing, descriptor, cancellationToken);
                }
                return;
            }
            catch (Exception e) when (attempt < 10 && e is DbUpdateException or OpenIddictExceptions.ConcurrencyException)
            {
                // Real waiting between attempts, not register time.
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), TimeProvider.System, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Makes the staff store write in the register's transaction of this scope (same database),
    /// so that a staff change, its request_id record and its access-log entry commit together.
    /// </summary>
    public static async Task<StaffAccounts> EnlistAsync(IServiceProvider scope, CancellationToken cancellationToken)
    {
        var register = scope.GetRequiredService<SrsDbContext>().Database;
        var staff = scope.GetRequiredService<StaffDbContext>();
        staff.ChangeTracker.Clear();
        var connection = register.GetDbConnection();
        if (!ReferenceEquals(staff.Database.GetDbConnection(), connection))
        {
            staff.Database.SetDbConnection(connection, contextOwnsConnection: false);
        }
        await staff.Database.UseTransactionAsync(register.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("A staff change runs inside the register's transaction."), cancellationToken);
        return scope.GetRequiredService<StaffAccounts>();
    }
}

/// <summary>The demonstration staff of ./run.sh: made at start when missing, never changed afterwards.</summary>
public static class DemoStaff
{
    private sealed record Entry(string City, string StaffId, string DisplayName, string Unit, string[] Roles, string Password, string TotpSecret);

    private sealed record FileShape(Entry[] Staff);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task CreateMissingAsync(IServiceProvider scope, string file, CancellationToken cancellationToken)
    {
        var shape = JsonSerializer.Deserialize<FileShape>(await File.ReadAllTextAsync(file, cancellationToken), Json)
            ?? throw new ConfigurationProblemException("Auth:SignIn:DemoStaffFile", $"{file} は職員の一覧ではありません。");
        var accounts = scope.GetRequiredService<StaffAccounts>();
        foreach (var entry in shape.Staff)
        {
            if (await accounts.FindAsync(entry.City, entry.StaffId, cancellationToken) is not null)
            {
                continue;
            }
            var (account, _, _) = await accounts.AddAsync(entry.City, entry.StaffId, entry.DisplayName, entry.Unit, entry.Roles, entry.Password, cancellationToken);
            await accounts.Users.SetAuthenticatorKeyAsync(account, entry.TotpSecret);
        }
    }
}
