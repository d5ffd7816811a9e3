namespace SharedResidentSystem.Server.Hosting;

/// <summary>Where the server listens and keeps its files (section "Server", checked by <see cref="ServerOptionsValidator"/>).</summary>
public sealed class ServerOptions
{
    public const string Section = "Server";

    /// <summary>Address to bind; loopback unless an operator opens it up.</summary>
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 5080;

    /// <summary>
    /// The browser counter's port (issue 22): the counter's pages under /counter/, the same
    /// services over gRPC-Web, and the sign-in, on HTTP/1.1 (and HTTP/2 with TLS); 0: none.
    /// </summary>
    public int CounterPort { get; set; } = 5081;

    /// <summary>Holds the SQLite file and the development signing key.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Where migration files are written and read, one folder per city (default: "migration" in the data directory).</summary>
    public string? MigrationDirectory { get; set; }

    /// <summary>The migration layout file (default: the one shipped, config/migration/layout.json).</summary>
    public string? MigrationLayout { get; set; }

    /// <summary>One JSON file per member city.</summary>
    public string TenantsDirectory { get; set; } = "config/tenants";

    /// <summary>
    /// How often (seconds) each instance reloads the cities' configuration versions from the
    /// database, so a change applied through another instance is seen here too.
    /// </summary>
    public int ConfigRefreshSeconds { get; set; } = 10;

    /// <summary>
    /// How often (seconds) the database is asked whether it answers; grpc.health.v1 answers
    /// from the last answer, so a health probe never costs the database a query.
    /// </summary>
    public int HealthRefreshSeconds { get; set; } = 5;

    /// <summary>
    /// How many failed authentications a minute one source address may have before it is not
    /// heard until the minute is over (a city's counter behind one address shares this).
    /// </summary>
    public int AuthenticationFailuresPerMinute { get; set; } = 30;

    /// <summary>
    /// Calls one staff member, one terminal and one city may have under way at once; more wait
    /// in line (as many again for a staff member or terminal, four times as many for a city)
    /// and beyond the line are refused as RESOURCE_EXHAUSTED (TOO_MANY_CALLS).
    /// </summary>
    public int ConcurrentCallsPerStaff { get; set; } = 16;

    public int ConcurrentCallsPerTerminal { get; set; } = 16;

    public int ConcurrentCallsPerCity { get; set; } = 128;

    /// <summary>The most bytes of residents one page of a search answers (the rest come on the next page).</summary>
    public int MaxPageBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The font certificates embed (subset). Default: IPAmj明朝 from Debian's fonts-ipamj-mincho,
    /// else IPAex明朝 (no variation sequences); start-up stops when there is none.
    /// </summary>
    public string? CertificateFontPath { get; set; }

    /// <summary>
    /// gRPC server reflection (grpcurl lists the services without the protos). On for the
    /// development machine; an operator turns it off where only the known clients call.
    /// </summary>
    public bool Reflection { get; set; } = true;

    /// <summary>A PFX certificate; when set the server speaks TLS (HTTP/2 over TLS).</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }
}

/// <summary>Which database and how to reach it (section "Storage").</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>sqlite (default), postgresql or sqlserver.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Connection string; for SQLite the default is a file under the data directory.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The 除票用データベース (9.3), a store of the same engine: a database of its own by this
    /// connection string. Empty: for SQLite a file beside the register's (srs-archive.db), for
    /// PostgreSQL the schema srs_archive of the register's database; SQL Server needs one.
    /// </summary>
    public string? ArchiveConnectionString { get; set; }

    /// <summary>
    /// Apply the provider's migrations at start (default). Off: the databases are upgraded
    /// beforehand with the migration bundles (docs/operations.md), and a server that finds a
    /// migration not applied does not start (exit code 2), so instances of a new release never
    /// run on an old schema nor race to upgrade it.
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;
}

/// <summary>Who may issue the bearer tokens this server accepts, and its own sign-in (section "Auth").</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>
    /// Development only: base64 of a shared HMAC key (≥ 32 bytes) that signs tokens of the
    /// development tool (srs-dev-token). Empty in Development: a key made once under the data
    /// directory. Outside the Development environment no shared key is accepted.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>OpenID Connect issuers (a city's own directory: Entra ID, AD FS, Keycloak …) whose tokens are accepted.</summary>
    public List<IssuerOptions> Issuers { get; set; } = [];

    /// <summary>The staff sign-in service shipped with the system (on by default).</summary>
    public SignInOptions SignIn { get; set; } = new();
}

/// <summary>
/// One OpenID Connect issuer: where its keys are published (discovery and JWKS, refreshed so
/// that its keys can rotate), which audience its tokens must name, which member cities it may
/// speak for, and which of its claims carry the city, the staff member, 所属, roles and terminal.
/// </summary>
public sealed class IssuerOptions
{
    /// <summary>A short name for logs and errors.</summary>
    public string Name { get; set; } = "";

    /// <summary>The issuer exactly as its tokens' "iss" claim states it.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>The discovery document; default: the issuer + "/.well-known/openid-configuration".</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>The audience its tokens must name.</summary>
    public string Audience { get; set; } = "srs";

    /// <summary>Metadata only over HTTPS (turn off only for a test issuer on this machine).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// The member cities this issuer may sign for (団体コード); "*" also lets it sign operators of
    /// the joint system. A token naming any other city is refused.
    /// </summary>
    public List<string> Cities { get; set; } = [];

    /// <summary>Which claim carries what.</summary>
    public IssuerClaims Claims { get; set; } = new();

    /// <summary>The issuer's role values mapped to the system's roles (e.g. "SRS-Clerk": "clerk"); empty: taken as they are.</summary>
    public Dictionary<string, string> RoleValues { get; set; } = [];

    /// <summary>Tolerance for clocks that differ (seconds).</summary>
    public int ClockSkewSeconds { get; set; } = 60;

    /// <summary>How often the keys are fetched again (minutes); an unknown key ID fetches them at once.</summary>
    public int KeyRefreshMinutes { get; set; } = 60;

    /// <summary>The least time between two fetches caused by unknown key IDs (seconds).</summary>
    public int KeyRefetchSeconds { get; set; } = 300;
}

/// <summary>The claim names of one issuer's tokens.</summary>
public sealed class IssuerClaims
{
    /// <summary>The city's 団体コード; empty when the issuer serves one city only (its one entry of Cities).</summary>
    public string Tenant { get; set; } = "tenant";

    public string Staff { get; set; } = "sub";

    public string Unit { get; set; } = "unit";

    public string Role { get; set; } = "role";

    public string Terminal { get; set; } = "terminal";
}

/// <summary>The staff sign-in service shipped with the system (section "Auth:SignIn").</summary>
public sealed class SignInOptions
{
    /// <summary>Hosted in this process (default). Off: this instance only accepts tokens of the configured issuers.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The issuer URI its tokens state; default http(s)://{Server:Host}:{Server:Port}/.</summary>
    public string? Issuer { get; set; }

    public string Audience { get; set; } = "srs";

    public int AccessTokenMinutes { get; set; } = 10;

    /// <summary>How long a sign-in lasts through refresh tokens (hours): a working day.</summary>
    public int RefreshTokenHours { get; set; } = 10;

    /// <summary>Where the signing keys are kept (shared by every instance); default "signin-keys" under the data directory.</summary>
    public string? KeyDirectory { get; set; }

    /// <summary>A new signing key after this many days; the old one keeps verifying until its tokens have expired.</summary>
    public int KeyRotationDays { get; set; } = 90;

    /// <summary>Failed sign-ins (password or second factor) in a row that lock an account.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    public int LockoutMinutes { get; set; } = 15;

    public int PasswordMinLength { get; set; } = 12;

    /// <summary>A JSON file of demonstration staff created at start when missing (the README's demo accounts); empty: none.</summary>
    public string? DemoStaffFile { get; set; }

    /// <summary>Where the browser counter may be sent back after sign-in (authorization code with PKCE).</summary>
    public List<string> BrowserRedirectUris { get; set; } = [];
}

/// <summary>The access log's checkpoints kept outside the database (section "Audit").</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>Base64 of the HMAC key (≥ 32 bytes) that signs checkpoints. Empty: a key made once under the data directory.</summary>
    public string? CheckpointKey { get; set; }

    /// <summary>
    /// Keys that signed checkpoints before CheckpointKey (Base64 each): what they signed still
    /// verifies; only CheckpointKey signs. A rotation adds the old key here and sets a new one.
    /// </summary>
    public List<string> PreviousCheckpointKeys { get; set; } = [];

    /// <summary>Where the signed checkpoints are written, one file per city. Empty: "checkpoints" under the data directory.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>How often (minutes) each city's chain head is written down when it has moved.</summary>
    public int CheckpointMinutes { get; set; } = 5;
}

/// <summary>
/// Traces and metrics (section "Telemetry"): exported over OTLP to a collector, and metrics
/// offered to Prometheus on a port of their own. Neither configured: nothing is exported.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>service.name of what this instance sends.</summary>
    public string ServiceName { get; set; } = "srs-server";

    /// <summary>The OTLP collector (e.g. http://collector:4317 for grpc, http://collector:4318 for http/protobuf); empty: no OTLP.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>grpc (default) or http/protobuf.</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>How often spans and metrics are sent to the collector (milliseconds).</summary>
    public int ExportIntervalMilliseconds { get; set; } = 10_000;

    /// <summary>
    /// The port of the Prometheus scrape endpoint (/metrics, HTTP/1.1, on Server:Host); 0: none.
    /// Kept apart from the register's ports so that only the monitoring network reaches it.
    /// </summary>
    public int PrometheusPort { get; set; }
}
