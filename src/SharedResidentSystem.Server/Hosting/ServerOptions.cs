namespace SharedResidentSystem.Server.Hosting;

/// <summary>Where the server listens and keeps its files (section "Server", checked by <see cref="ServerOptionsValidator"/>).</summary>
public sealed class ServerOptions
{
    public const string Section = "Server";

    /// <summary>Address to bind; loopback unless an operator opens it up.</summary>
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 5080;

    /// <summary>Holds the SQLite file and the development signing key.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>One JSON file per member city.</summary>
    public string TenantsDirectory { get; set; } = "config/tenants";

    /// <summary>
    /// How often (seconds) each instance reloads the cities' configuration versions from the
    /// database, so a change applied through another instance is seen here too.
    /// </summary>
    public int ConfigRefreshSeconds { get; set; } = 10;

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
}

/// <summary>How bearer tokens are checked (section "Auth").</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Base64 of the HMAC key (≥ 32 bytes). Empty: a development key under the data directory.</summary>
    public string? SigningKey { get; set; }
}

/// <summary>The access log's checkpoints kept outside the database (section "Audit").</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>Base64 of the HMAC key (≥ 32 bytes) that signs checkpoints. Empty: a key made once under the data directory.</summary>
    public string? CheckpointKey { get; set; }

    /// <summary>Where the signed checkpoints are written, one file per city. Empty: "checkpoints" under the data directory.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>How often (minutes) each city's chain head is written down when it has moved.</summary>
    public int CheckpointMinutes { get; set; } = 5;
}
