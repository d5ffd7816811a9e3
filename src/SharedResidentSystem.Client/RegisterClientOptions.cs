namespace SharedResidentSystem.Client;

/// <summary>How a terminal reaches the register, and how patiently.</summary>
public sealed class RegisterClientOptions
{
    /// <summary>The server, e.g. http://127.0.0.1:5080 (h2c) or https://… (TLS).</summary>
    public Uri Address { get; set; } = new("http://127.0.0.1:5080");

    /// <summary>The bearer token of the signed-in clerk; read on every call, so a new sign-in takes effect at once.</summary>
    public Func<string?> Token { get; set; } = () => null;

    /// <summary>Deadline of one attempt of a read (検索, 照会).</summary>
    public TimeSpan ReadDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deadline of one attempt of a write (異動, 決裁).</summary>
    public TimeSpan WriteDeadline { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Deadline of one attempt of a call that makes documents (証明書).</summary>
    public TimeSpan DocumentDeadline { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How many times an attempt that met UNAVAILABLE or DEADLINE_EXCEEDED is repeated (with the same request_id).</summary>
    public int MaxRetries { get; set; } = 8;

    /// <summary>The first pause before a repeat; it doubles each time (with jitter) up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>After this many failed attempts in a row (within <see cref="BreakSampling"/>) the circuit opens.</summary>
    public int BreakAfterFailures { get; set; } = 5;

    public TimeSpan BreakSampling { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>While the circuit is open, new calls fail at once with a clear message instead of waiting.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Replaces the HTTP handler (tests, proxies); the client disposes of it.</summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>The clock for deadlines and pauses.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;
}
