using Google.Protobuf;
using SharedResidentSystem.Contracts.JukiNet.V1;

namespace SharedResidentSystem.CsEmulator;

/// <summary>
/// The messages waiting for the joint system (another city's 転入通知, 転出証明書情報, 空きコード),
/// in the order they arrived, and the register's acknowledgement of each; kept in two files of
/// JSON lines so that a restarted emulator still has what was not yet fetched.
/// </summary>
public sealed class InboundStore
{
    private readonly string _messagesFile;
    private readonly string _acksFile;
    private readonly List<CsMessage> _messages = [];
    private readonly Dictionary<string, InboundAck> _acks = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public InboundStore(string directory)
    {
        Directory.CreateDirectory(directory);
        _messagesFile = Path.Combine(directory, "inbound.jsonl");
        _acksFile = Path.Combine(directory, "inbound-acks.jsonl");
        if (File.Exists(_messagesFile))
        {
            _messages.AddRange(File.ReadLines(_messagesFile).Where(l => l.Length > 0).Select(JsonParser.Default.Parse<CsMessage>));
        }
        if (File.Exists(_acksFile))
        {
            foreach (var ack in File.ReadLines(_acksFile).Where(l => l.Length > 0).Select(JsonParser.Default.Parse<InboundAck>))
            {
                _acks[ack.MessageId] = ack;
            }
        }
    }

    /// <summary>A message arrives for the joint system (once per id).</summary>
    public CsReceipt Inject(CsMessage message)
    {
        lock (_lock)
        {
            if (_messages.Any(m => m.MessageId == message.MessageId))
            {
                return new CsReceipt { MessageId = message.MessageId, Duplicate = true };
            }
            File.AppendAllText(_messagesFile, JsonFormatter.Default.Format(message) + "\n");
            _messages.Add(message);
            return new CsReceipt { MessageId = message.MessageId };
        }
    }

    /// <summary>What the register has not acknowledged yet, oldest first.</summary>
    public IReadOnlyList<CsMessage> Waiting(int max)
    {
        lock (_lock)
        {
            return [.. _messages.Where(m => !_acks.ContainsKey(m.MessageId)).Take(max)];
        }
    }

    public void Acknowledge(IEnumerable<InboundAck> acks)
    {
        lock (_lock)
        {
            foreach (var ack in acks.Where(a => _messages.Any(m => m.MessageId == a.MessageId) && !_acks.ContainsKey(a.MessageId)))
            {
                File.AppendAllText(_acksFile, JsonFormatter.Default.Format(ack) + "\n");
                _acks[ack.MessageId] = ack;
            }
        }
    }

    public IReadOnlyList<InboundState> States()
    {
        lock (_lock)
        {
            return [.. _messages.Select(m => _acks.TryGetValue(m.MessageId, out var ack)
                ? new InboundState { Message = m, Acknowledged = true, Refused = ack.Refused, Reason = ack.Reason }
                : new InboundState { Message = m })];
        }
    }
}
