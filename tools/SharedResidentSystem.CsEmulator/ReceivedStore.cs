using Google.Protobuf;
using SharedResidentSystem.Contracts.JukiNet.V1;
using SharedResidentSystem.Core.Numbers;

namespace SharedResidentSystem.CsEmulator;

/// <summary>
/// What the emulated CS has taken, in order, kept in a file of one JSON message per line so that
/// a restarted emulator still knows every message id (and takes a repeat only once).
/// </summary>
public sealed class ReceivedStore
{
    private readonly string _file;
    private readonly List<CsMessage> _messages = [];
    private readonly Dictionary<string, string> _numbers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Sender, string Code), CsPerson> _identities = [];
    private readonly Lock _lock = new();
    private long _lastNumber;

    public ReceivedStore(string directory, IReadOnlySet<string> members)
    {
        Members = members;
        Directory.CreateDirectory(directory);
        _file = Path.Combine(directory, "received.jsonl");
        if (File.Exists(_file))
        {
            foreach (var line in File.ReadLines(_file).Where(l => l.Length > 0))
            {
                Remember(JsonParser.Default.Parse<CsMessage>(line));
            }
        }
    }

    public IReadOnlySet<string> Members { get; }

    /// <summary>How long taking one message takes (a slow line); zero by default.</summary>
    public TimeSpan SubmitDelay { get; init; }

    /// <summary>How long each 本人確認情報 of a StreamIdentities takes to be sent.</summary>
    public TimeSpan StreamDelay { get; init; }

    /// <summary>Takes a message once; a repeat of an id already taken answers as a duplicate.</summary>
    public CsReceipt Take(CsMessage message)
    {
        lock (_lock)
        {
            if (_ids.Contains(message.MessageId))
            {
                return new CsReceipt { MessageId = message.MessageId, Duplicate = true, IndividualNumber = _numbers.GetValueOrDefault(message.MessageId, ""), CertificateSerial = Serial(message) };
            }
            File.AppendAllText(_file, JsonFormatter.Default.Format(message) + "\n");
            Remember(message);
            return new CsReceipt { MessageId = message.MessageId, IndividualNumber = _numbers.GetValueOrDefault(message.MessageId, ""), CertificateSerial = Serial(message) };
        }
    }

    public IReadOnlyList<CsMessage> Received(string senderCode)
    {
        lock (_lock)
        {
            return [.. _messages.Where(m => senderCode.Length == 0 || m.SenderCode == senderCode)];
        }
    }

    /// <summary>The latest 本人確認情報 of each 住民票コード one city sent (7.1.1.2).</summary>
    public IReadOnlyList<CsPerson> Identities(string senderCode)
    {
        lock (_lock)
        {
            return [.. _identities.Where(i => i.Key.Sender == senderCode).Select(i => i.Value)];
        }
    }

    /// <summary>The serial number of the person's 利用者証明用電子証明書: the same for one 住民票コード, each time.</summary>
    private static string Serial(CsMessage message) =>
        message.Kind == CsMessageKind.CertificateSerialRequest
            ? Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(message.Person.ResidentCode)))[..16]
            : "";

    private void Remember(CsMessage message)
    {
        _ids.Add(message.MessageId);
        _messages.Add(message);
        if (message.Kind == CsMessageKind.Identity && message.Person.ResidentCode.Length > 0)
        {
            _identities[(message.SenderCode, message.Person.ResidentCode)] = message.Person;
        }
        if (message.Kind is CsMessageKind.IndividualNumberRequest or CsMessageKind.IndividualNumberChangeRequest)
        {
            // A 個人番号 of 11 digits and its check digit, from the order of the requests (the same after a restart).
            var body = (10_000_000_000L + ++_lastNumber).ToString(System.Globalization.CultureInfo.InvariantCulture)[..11];
            _numbers[message.MessageId] = body + CheckDigits.IndividualNumber(body);
        }
    }
}
