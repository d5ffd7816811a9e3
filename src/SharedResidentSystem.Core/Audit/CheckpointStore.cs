using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SharedResidentSystem.Core.Audit;

/// <summary>A checkpoint of one city's chain, signed with the checkpoint key.</summary>
public sealed record SignedCheckpoint(string Tenant, long Sequence, string Hash, DateTime TakenAt, string Signature)
{
    /// <summary>The text the signature covers.</summary>
    public string SignedText => string.Join('|', Tenant, Sequence.ToString(CultureInfo.InvariantCulture), Hash, TakenAt.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture));
}

/// <summary>
/// Checkpoints of the access-log chains kept outside the database: one append-only file per city
/// in a directory of the server's (or of the operator's choosing), each line signed (HMAC-SHA256)
/// with a key that is not in the database either. Someone who can change the database can
/// rewrite the chain and recompute every hash, or cut its tail, but cannot make it agree with
/// a checkpoint written earlier: the verification meets the checkpoint's entry changed
/// (CHECKPOINT_MISMATCH) or missing (TRUNCATED). A line whose signature does not verify is
/// reported, never trusted.
/// </summary>
public sealed class CheckpointStore(string directory, byte[] key, IReadOnlyList<byte[]>? previousKeys = null)
{
    /// <summary>
    /// The key that signs, then the keys it replaced (Audit:PreviousCheckpointKeys): a key is
    /// rotated by making a new one the key and keeping the old one among these, so the
    /// checkpoints and start it signed still verify.
    /// </summary>
    private readonly byte[][] _keys = [key, .. previousKeys ?? []];

    public const string KeyFile = "checkpoint-key.txt";

    /// <summary>The key from its base64 text, or a new one kept in <paramref name="dataDirectory"/> (created once, owner-only).</summary>
    public static byte[] LoadOrCreateKey(string? base64, string dataDirectory)
    {
        var key = Convert.FromBase64String(string.IsNullOrWhiteSpace(base64) ? Security.SigningKeys.LoadOrCreateSecret(dataDirectory, KeyFile) : base64.Trim());
        return key.Length >= 32 ? key : throw new ArgumentException("the checkpoint key needs at least 32 bytes", nameof(base64));
    }

    public string Directory => directory;

    public SignedCheckpoint Sign(string tenant, long sequence, string hash, DateTime takenAt)
    {
        var unsigned = new SignedCheckpoint(tenant, sequence, hash, takenAt, "");
        return unsigned with { Signature = Mac(key, unsigned) };
    }

    public bool IsAuthentic(SignedCheckpoint checkpoint) =>
        _keys.Any(k => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Mac(k, checkpoint)), Encoding.ASCII.GetBytes(checkpoint.Signature)));

    /// <summary>
    /// The start of a city's chain after its oldest entries were deleted at the end of their
    /// retention (10.2): the last entry deleted (its sequence and hash), signed apart from the
    /// checkpoints (a checkpoint cannot be passed off as a start). The chain is verified from it;
    /// entries cut from the head without one are MISSING.
    /// </summary>
    public SignedCheckpoint SignStart(string tenant, long sequence, string hash, DateTime takenAt)
    {
        var unsigned = new SignedCheckpoint(tenant, sequence, hash, takenAt, "");
        return unsigned with { Signature = StartMac(key, unsigned) };
    }

    /// <summary>Replaces the city's start (written whole, then moved into place).</summary>
    public async Task WriteStartAsync(SignedCheckpoint start, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(directory);
        var path = PathOf(start.Tenant, ".start");
        var line = string.Join(' ', start.Sequence.ToString(CultureInfo.InvariantCulture), start.Hash,
            start.TakenAt.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture), start.Signature) + "\n";
        await File.WriteAllTextAsync(path + ".new", line, cancellationToken);
        File.Move(path + ".new", path, overwrite: true);
    }

    /// <summary>The city's start, if its oldest entries were deleted; a start not signed by this system is returned as forged.</summary>
    public async Task<(SignedCheckpoint? Start, string? Forged)> ReadStartAsync(string tenant, CancellationToken cancellationToken)
    {
        var path = PathOf(tenant, ".start");
        if (!File.Exists(path))
        {
            return (null, null);
        }
        var line = (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
        return Parse(tenant, line) is { } start && _keys.Any(k => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(StartMac(k, start)), Encoding.ASCII.GetBytes(start.Signature)))
            ? (start, null)
            : (null, Shown(line));
    }

    /// <summary>A line as written (sequence, hash, ticks, signature), or null when it is not one.</summary>
    private static SignedCheckpoint? Parse(string tenant, string line)
    {
        var parts = line.Split(' ');
        return parts.Length == 4
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks is >= 0 and <= 3155378975999999999
            ? new SignedCheckpoint(tenant, sequence, parts[1], new DateTime(ticks, DateTimeKind.Utc), parts[3])
            : null;
    }

    private static string Shown(string line) => line.Length > 80 ? line[..80] + "…" : line;

    /// <summary>Appends a checkpoint to its city's file.</summary>
    public async Task AppendAsync(SignedCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(directory);
        var line = string.Join(' ', checkpoint.Sequence.ToString(CultureInfo.InvariantCulture), checkpoint.Hash,
            checkpoint.TakenAt.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture), checkpoint.Signature) + "\n";
        await File.AppendAllTextAsync(PathOf(checkpoint.Tenant), line, cancellationToken);
    }

    /// <summary>Every checkpoint written for the city, oldest first, and the lines that are not authentic.</summary>
    public async Task<(IReadOnlyList<SignedCheckpoint> Authentic, IReadOnlyList<string> Forged)> ReadAsync(string tenant, CancellationToken cancellationToken)
    {
        var path = PathOf(tenant);
        if (!File.Exists(path))
        {
            return ([], []);
        }
        var authentic = new List<SignedCheckpoint>();
        var forged = new List<string>();
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            if (line.Length == 0)
            {
                continue;
            }
            if (Parse(tenant, line) is { } checkpoint && IsAuthentic(checkpoint))
            {
                authentic.Add(checkpoint);
                continue;
            }
            forged.Add(Shown(line));
        }
        return (authentic, forged);
    }

    private string PathOf(string tenant, string extension = ".checkpoints") => tenant == "*"
        ? Path.Combine(directory, "joint" + extension)
        : tenant.Length > 0 && tenant.All(char.IsAsciiDigit) ? Path.Combine(directory, tenant + extension) : throw new ArgumentException($"not a city code: {tenant}", nameof(tenant));

    private static string Mac(byte[] with, SignedCheckpoint checkpoint) =>
        Convert.ToHexString(HMACSHA256.HashData(with, Encoding.UTF8.GetBytes(checkpoint.SignedText)));

    private static string StartMac(byte[] with, SignedCheckpoint start) =>
        Convert.ToHexString(HMACSHA256.HashData(with, Encoding.UTF8.GetBytes("start|" + start.SignedText)));
}
