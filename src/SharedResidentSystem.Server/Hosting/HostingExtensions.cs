using System.Security.Claims;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using SharedResidentSystem.Core.Audit;
using SharedResidentSystem.Core.Certificates;
using SharedResidentSystem.Core.Migration;
using SharedResidentSystem.Documents;
using SharedResidentSystem.Server.Certificates;
using SharedResidentSystem.Core.Protection;
using SharedResidentSystem.Server.Protection;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Server.Audit;
using SharedResidentSystem.Server.Cs;
using SharedResidentSystem.Server.Common;
using SharedResidentSystem.Server.Errors;
using SharedResidentSystem.Server.Migration;
using SharedResidentSystem.Server.Pipeline;
using SharedResidentSystem.Server.Registration;
using SharedResidentSystem.Server.Residents;
using SharedResidentSystem.Server.Security;
using SharedResidentSystem.Server.Counter;
using SharedResidentSystem.Server.SignIn;
using SharedResidentSystem.Server.Storage;
using SharedResidentSystem.Server.Tenancy;
using SharedResidentSystem.Storage.PostgreSql;
using SharedResidentSystem.Storage.Sqlite;
using SharedResidentSystem.Storage.SqlServer;

namespace SharedResidentSystem.Server.Hosting;

/// <summary>All the wiring of the server, so that Program.cs stays two lines.</summary>
public static class HostingExtensions
{
    /// <summary>The largest request message read (4 MiB).</summary>
    public const int MaxRequestBytes = 4 * 1024 * 1024;

    public static WebApplicationBuilder AddSharedResidentSystem(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        // Each section bound and checked once, by its one validator, before anything is built.
        var server = Bind(configuration, ServerOptions.Section, new ServerOptionsValidator());
        var storage = Bind(configuration, StorageOptions.Section, new StorageOptionsValidator());
        var auth = Bind(configuration, AuthOptions.Section, new AuthOptionsValidator());
        var audit = Bind(configuration, AuditOptions.Section, new AuditOptionsValidator());
        var telemetry = Bind(configuration, TelemetryOptions.Section, new TelemetryOptionsValidator(server));
        AddEras(configuration);
        var dataDirectory = Path.GetFullPath(server.DataDirectory);
        Directory.CreateDirectory(dataDirectory);

        services.AddOptions<ServerOptions>().Bind(configuration.GetSection(ServerOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.TryAddTimeProvider();

        // Tenancy: the seed documents are checked before anything listens; the versions in
        // effect are loaded from the database at start and refreshed after every change.
        var seeds = TenantCatalog.LoadDirectory(Path.GetFullPath(server.TenantsDirectory));
        services.AddSingleton<IReadOnlyList<SeedDocument>>(seeds);
        services.AddSingleton(sp => new TenantDirectory(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<TenantConfigRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<TenantConfigRefresher>());
        services.AddScoped<TenantConfigChanges>();
        services.AddScoped<AccessControl>();

        // Storage: one model, the provider chosen by configuration.
        IStorageProvider[] providers = [new SqliteStorageProvider(), new PostgreSqlStorageProvider(), new SqlServerStorageProvider()];
        var provider = providers.Single(p => string.Equals(p.Name, storage.Provider?.Trim(), StringComparison.OrdinalIgnoreCase));
        var connectionString = string.IsNullOrWhiteSpace(storage.ConnectionString)
            ? $"Data Source={Path.Combine(dataDirectory, "srs.db")};Default Timeout=30"
            : storage.ConnectionString;
        services.AddSingleton(provider);
        services.AddScoped<CallerContext>();
        services.AddDbContext<SrsDbContext>(o =>
        {
            provider.Configure(o, connectionString);
            // A failed command is either retried (a transient fault, expected under contention)
            // or surfaces as an exception that the error interceptor logs once; EF's own error
            // lines would report every retried race as an error.
            o.ConfigureWarnings(w => w.Log((RelationalEventId.CommandError, LogLevel.Debug), (CoreEventId.SaveChangesFailed, LogLevel.Debug)));
        });
        // 9.3 除票用データベース: a store of the same engine and model, never the register itself.
        var archiveConnectionString = string.IsNullOrWhiteSpace(storage.ArchiveConnectionString)
            ? provider.DefaultArchiveConnectionString(connectionString)
                ?? throw new ConfigurationProblemException($"{StorageOptions.Section}:ArchiveConnectionString", "除票用データベースの接続文字列を指定してください。")
            : storage.ArchiveConnectionString;
        if (provider.StoreIdentity(archiveConnectionString) == provider.StoreIdentity(connectionString))
        {
            throw new ConfigurationProblemException($"{StorageOptions.Section}:ArchiveConnectionString", "除票用データベースは住民記録のデータベース (又はスキーマ) とは別にしてください。");
        }
        var archiveOptions = new DbContextOptionsBuilder<SrsDbContext>();
        provider.Configure(archiveOptions, archiveConnectionString);
        services.AddSingleton(new ArchiveLocation(archiveOptions.Options, archiveConnectionString));
        services.AddScoped<RemovedRecordsArchive>();
        services.AddScoped<RegisterTransaction>();
        services.AddScoped<NumberIssuer>();
        services.AddScoped<AccessLogWriter>();
        services.AddScoped<RegisterService>();
        services.AddScoped<ResidentQueries>();
        services.AddScoped<AuditedCalls>();
        services.AddScoped<RegistrationDispatch>();
        services.AddScoped<PendingIdouStore>();
        services.AddScoped<ProtectionGate>();
        services.AddScoped<Suppressions>();
        services.AddScoped<SupportMeasures>();
        services.AddScoped<AuditQueries>();
        services.AddScoped<ResidentCodes>();
        services.AddScoped<MoveOutCertificates>();
        services.AddScoped<Issuances>();
        services.AddSingleton<IssueNumberReservations>();
        services.AddScoped<IssuanceLedger>();
        services.AddScoped<PersonalNotices>();
        var font = CertificateFonts.Find(server.CertificateFontPath)
            ?? throw new ConfigurationProblemException($"{ServerOptions.Section}:CertificateFontPath",
                string.IsNullOrWhiteSpace(server.CertificateFontPath)
                    ? $"証明書のフォントがありません。IPAmj明朝 (Debian: fonts-ipamj-mincho → {CertificateFonts.IpamjMincho}) をインストールしてください。"
                    : $"フォント '{server.CertificateFontPath}' がありません。");
        var renderer = new PdfCertificateRenderer(font);
        services.AddSingleton(renderer);
        services.AddSingleton<ICertificateRenderer>(renderer);
        services.AddSingleton<BatchedAccessLog>();
        services.AddHostedService(sp => sp.GetRequiredService<BatchedAccessLog>());

        // Authentication: bearer tokens of the trusted issuers (the system's own sign-in, the
        // cities' OpenID Connect issuers; in Development also the development tool's key).
        var issuers = new List<TrustedIssuer>();
        if (auth.SignIn.Enabled)
        {
            builder.AddCounter(server, auth.SignIn);
            services.AddStaffSignIn(auth, server, dataDirectory, provider, connectionString);
            issuers.Add(SignInHosting.Issuer(SignInHosting.Settings(auth, server)));
        }
        issuers.AddRange(auth.Issuers.Select(i => new TrustedIssuer(i, AnyCity: false)));
        if (builder.Environment.IsDevelopment())
        {
            var developmentKey = string.IsNullOrWhiteSpace(auth.SigningKey)
                ? SigningKeys.LoadOrCreateDevelopmentKey(dataDirectory)
                : SigningKeys.FromBase64(auth.SigningKey);
            issuers.Add(new TrustedIssuer(new IssuerOptions { Name = "development", Issuer = SigningKeys.Issuer, Audience = SigningKeys.Audience }, AnyCity: true)
            {
                LocalKeys = (_, _) => [developmentKey],
            });
        }
        else if (!string.IsNullOrWhiteSpace(auth.SigningKey))
        {
            throw new ConfigurationProblemException($"{AuthOptions.Section}:SigningKey", "共有鍵による開発用トークンは開発環境 (Development) でのみ使えます。Auth:Issuers または Auth:SignIn を設定してください。");
        }
        if (issuers.Count == 0)
        {
            throw new ConfigurationProblemException($"{AuthOptions.Section}:Issuers", "トークンの発行者がありません。Auth:SignIn:Enabled を true にするか、Auth:Issuers に OpenID Connect の発行者を設定してください。");
        }
        services.AddTokenValidation(issuers);

        // The chains' checkpoints, signed and kept outside the database.
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>();
        services.AddSingleton(new CheckpointStore(
            string.IsNullOrWhiteSpace(audit.CheckpointDirectory) ? Path.Combine(dataDirectory, "checkpoints") : Path.GetFullPath(audit.CheckpointDirectory),
            CheckpointStore.LoadOrCreateKey(audit.CheckpointKey, dataDirectory),
            [.. audit.PreviousCheckpointKeys.Select(k => CheckpointStore.LoadOrCreateKey(k, dataDirectory))]));
        services.AddSingleton<CheckpointPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<CheckpointPublisher>());
        // 住基ネット CS (7.1.1.1): the outbox sent in order when Cs:Address names the CS.
        services.AddOptions<CsOptions>().Bind(configuration.GetSection(CsOptions.Section));
        services.AddSingleton<CsConnection>();
        services.AddSingleton<CsInbox>();
        services.AddSingleton<Core.Link.LinkSignal>();
        services.AddSingleton<CsDelivery>();
        services.AddHostedService(sp => sp.GetRequiredService<CsDelivery>());
        services.AddOptions<Jobs.JobOptions>().Bind(configuration.GetSection(Jobs.JobOptions.Section));
        services.AddSingleton<Jobs.JobSignal>();
        services.AddSingleton<Jobs.IJobKind, Jobs.RandomExtractionJob>();
        services.AddSingleton<Jobs.IJobKind, Jobs.CsConsistencyJob>();
        services.AddSingleton<Jobs.IJobKind, Jobs.AddressBulkChangeJob>();
        services.AddSingleton<Jobs.IJobKind, Jobs.InspectionCopyJob>();
        services.AddSingleton<Jobs.IJobKind, Jobs.RemovedRecordsArchiveJob>();
        services.AddSingleton<Jobs.IJobKind, Jobs.SuppressionListJob>();
        services.AddSingleton<Jobs.IJobKind, Jobs.RetentionJob>();
        services.AddSingleton<Jobs.IJobKind, Jobs.AnnualReportJob>();
        services.AddSingleton<Jobs.IJobKind, Analytics.EucSnapshotJob>();
        services.AddSingleton<Analytics.EucSnapshots>();
        services.AddOptions<Analytics.EucOptions>().Bind(configuration.GetSection(Analytics.EucOptions.Section));
        services.AddHttpClient(Jobs.JobRunner.AlertClient, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<Jobs.CounterLoad>();
        services.AddSingleton<Jobs.JobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<Jobs.JobRunner>());
        services.AddSingleton<CallLimits>();
        // The migration layout: the shipped one unless Server:MigrationLayout names a file (the official definition).
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ServerOptions>>().Value.MigrationLayout is { Length: > 0 } layoutPath
            ? LoadLayout(layoutPath)
            : MigrationLayout.Default());
        services.AddSingleton<AuthenticationFailures>();
        services.AddHostedService(sp => sp.GetRequiredService<AuthenticationFailures>());

        // One pipeline for every call, from the policies the protos declare; a method without
        // one, or a write without a request_id, stops the start here.
        services.AddSingleton(new CallPolicies(CallPolicies.ContractServices()));
        services.AddScoped<CallRecord>();
        services.AddKeyedScoped<IStoredAnswer, IssuedCertificateAnswer>(IssuedCertificateAnswer.Method);
        services.AddKeyedScoped<IStoredAnswer, StaffCredentialsAnswer>("/srs.staff.v1.StaffAdminService/AddStaff");
        services.AddKeyedScoped<IStoredAnswer, StaffCredentialsAnswer>("/srs.staff.v1.StaffAdminService/ResetStaff");
        services.AddKeyedScoped<IStoredAnswer, LinkedSystemCredentialsAnswer>("/srs.staff.v1.StaffAdminService/IssueLinkedSystemSecret");
        services.AddGrpc(o =>
        {
            o.EnableDetailedErrors = false;
            // A request beyond this is refused as RESOURCE_EXHAUSTED before it is read; the
            // largest legitimate one is a city's configuration document (at most 1 MiB of text).
            o.MaxReceiveMessageSize = MaxRequestBytes;
            o.Interceptors.Add<ErrorInterceptor>();
            o.Interceptors.Add<CallPipeline>();
        });
        if (server.Reflection)
        {
            services.AddGrpcReflection();
        }
        // The health service answers from the state the publisher last found: the database is
        // asked at once on start, then every HealthRefreshSeconds, never by a probe's call.
        services.AddSingleton<DatabaseHealth>();
        services.AddGrpcHealthChecks(o => o.UseHealthChecksCache = true).AddCheck<DatabaseHealthCheck>("database");
        services.Configure<HealthCheckPublisherOptions>(o =>
        {
            o.Delay = TimeSpan.Zero;
            o.Period = TimeSpan.FromSeconds(server.HealthRefreshSeconds);
            o.Timeout = o.Period;
        });
        // Every service is bound so that a request that does not parse reaches the pipeline as a
        // refusal (CheckedParsing), in place of the library's binding that would answer UNKNOWN.
        services.AddHttpContextAccessor();
        foreach (var library in services.Where(d => d.ServiceType == typeof(IServiceMethodProvider<>) && d.ImplementationType?.Name.StartsWith("BinderServiceMethodProvider", StringComparison.Ordinal) == true).ToList())
        {
            services.Remove(library);
        }
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(CheckedParsingMethodProvider<>));

        services.AddSingleton(telemetry);
        builder.AddTelemetry(server, telemetry);
        // Each line a JSON object with its scopes: the trace and span ids, the request's path
        // and, on a call that carries one, its request_id (ErrorInterceptor).
        builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        // OpenIddict writes a request's parameters at Information; the sign-in's own ones
        // (second-factor code, new password) are not among those it redacts: its category
        // stays at Warning whatever the default level.
        builder.Logging.AddFilter("OpenIddict", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var address = System.Net.IPAddress.Parse(server.Host);
            kestrel.Listen(address, server.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (!string.IsNullOrWhiteSpace(server.CertificatePath))
                {
                    listen.UseHttps(server.CertificatePath, server.CertificatePassword);
                }
            });
        });
        return builder;
    }

    public static WebApplication MapSharedResidentSystem(this WebApplication app)
    {
        // A source that keeps failing to authenticate is not heard until its minute is over.
        app.Use(async (context, next) =>
        {
            if (context.RequestServices.GetRequiredService<AuthenticationFailures>().IsBlocked(AuthenticationFailures.Source(context)))
            {
                if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true)
                {
                    context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    context.Response.Headers.RetryAfter = "60";
                    return;
                }
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "application/grpc";
                context.Response.Headers["grpc-status"] = ((int)Grpc.Core.StatusCode.ResourceExhausted).ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.Response.Headers["grpc-message"] = Uri.EscapeDataString("認証の失敗が続いたため、しばらく受け付けません。");
                return;
            }
            await next(context);
        });
        // The counter's calls are counted, so that jobs take their steps when it is quiet.
        app.Use(async (context, next) =>
        {
            if (!Jobs.CounterLoad.IsCounterCall(context.Request.Path))
            {
                await next(context);
                return;
            }
            var load = context.RequestServices.GetRequiredService<Jobs.CounterLoad>();
            load.Enter();
            try
            {
                await next(context);
            }
            finally
            {
                load.Exit();
            }
        });
        app.UseAuthentication();
        app.UseCounterProtocol();
        app.MapGrpcService<TenantGrpcService>();
        app.MapGrpcService<TenantAdminGrpcService>();
        app.MapGrpcService<ResidentGrpcService>();
        app.MapGrpcService<InputAssistGrpcService>();
        app.MapGrpcService<MemoGrpcService>();
        app.MapGrpcService<RegistrationGrpcService>();
        app.MapGrpcService<ReviewGrpcService>();
        app.MapGrpcService<ResidentCodeGrpcService>();
        app.MapGrpcService<MoveOutCertificateGrpcService>();
        app.MapGrpcService<ImmigrationNoticeGrpcService>();
        app.MapGrpcService<CsLinkGrpcService>();
        app.MapGrpcService<Link.LinkGrpcService>();
        app.MapGrpcService<SuppressionGrpcService>();
        app.MapGrpcService<SupportMeasureGrpcService>();
        app.MapGrpcService<AuditGrpcService>();
        app.MapGrpcService<CertificateGrpcService>();
        app.MapGrpcService<PersonalNoticeGrpcService>();
        app.MapGrpcService<MigrationGrpcService>();
        app.MapGrpcService<IntakeGrpcService>();
        app.MapGrpcService<Jobs.JobGrpcService>();
        app.MapGrpcService<Analytics.EucGrpcService>();
        app.MapGrpcService<Analytics.IndicatorGrpcService>();
        if (app.Services.GetService<SignInSettings>() is not null)
        {
            app.MapStaffSignIn();
            app.MapCounter();
            app.MapGrpcService<StaffAdminGrpcService>();
        }
        app.MapGrpcService<StaffSessionGrpcService>();
        if (app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.Reflection)
        {
            app.MapGrpcReflectionService();
        }
        app.MapGrpcHealthChecksService();
        app.MapTelemetry(app.Services.GetRequiredService<TelemetryOptions>());
        return app;
    }

    private static T Bind<T>(ConfigurationManager configuration, string section, SectionValidator<T> validator) where T : class, new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new ConfigurationProblemException(section, e.Message);
        }
        validator.ThrowIfInvalid(options);
        return options;
    }

    /// <summary>
    /// 1.3.6: eras announced before the platform's calendar knows them, by setting
    /// (Japanese:Eras:0:Name, :Initial, :From yyyy-MM-dd); a wrong one stops start-up naming its key.
    /// </summary>
    private static MigrationLayout LoadLayout(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConfigurationProblemException($"{ServerOptions.Section}:MigrationLayout", $"移行レイアウト {path} がありません。");
        }
        using var stream = File.OpenRead(path);
        return MigrationLayout.Load(stream);
    }

    private static void AddEras(ConfigurationManager configuration)
    {
        var eras = new List<(string, char, DateOnly)>();
        foreach (var era in configuration.GetSection("Japanese:Eras").GetChildren())
        {
            var key = $"Japanese:Eras:{era.Key}";
            var name = era["Name"] ?? "";
            var initial = era["Initial"] ?? "";
            if (!DateOnly.TryParseExact(era["From"], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var from))
            {
                throw new ConfigurationProblemException($"{key}:From", "元号の始まりの日を yyyy-MM-dd で指定してください。");
            }
            if (initial.Length != 1)
            {
                throw new ConfigurationProblemException($"{key}:Initial", "元号の略号 (英字1文字) を指定してください。");
            }
            eras.Add((name, initial[0], from));
        }
        try
        {
            Japanese.Wareki.AddEras(eras);
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationProblemException("Japanese:Eras", e.Message);
        }
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    internal static Caller? ToCaller(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        var tenant = user.FindFirstValue(SrsClaims.Tenant);
        var staff = user.FindFirstValue(SrsClaims.Staff);
        if (string.IsNullOrEmpty(tenant) || string.IsNullOrEmpty(staff))
        {
            return null;
        }
        var roles = user.FindAll(SrsClaims.Role).Select(c => c.Value).Where(Roles.All.Contains).ToHashSet(StringComparer.Ordinal);
        return new Caller(tenant, staff, user.FindFirstValue(SrsClaims.Terminal) ?? "", roles) { Unit = user.FindFirstValue(SrsClaims.Unit) ?? "" };
    }
}
