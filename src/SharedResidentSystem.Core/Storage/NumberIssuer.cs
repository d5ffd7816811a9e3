using Microsoft.EntityFrameworkCore;
using SharedResidentSystem.Core.Numbers;

namespace SharedResidentSystem.Core.Storage;

/// <summary>Kinds of serial a city issues.</summary>
public static class NumberKinds
{
    /// <summary>宛名番号</summary>
    public const string Resident = "resident";
    /// <summary>世帯番号</summary>
    public const string Household = "household";
    /// <summary>異動の番号</summary>
    public const string Idou = "idou";
    /// <summary>仮登録の番号</summary>
    public const string Pending = "pending";
    /// <summary>抑止, 一時解除 and 支援措置 numbers</summary>
    public const string Suppression = "suppression";
    public const string Release = "release";
    public const string SupportMeasure = "support";
    /// <summary>Notices for other systems</summary>
    public const string Outbox = "outbox";
    /// <summary>Messages received from the CS</summary>
    public const string CsInbound = "cs-inbound";
    /// <summary>メモ</summary>
    public const string Memo = "memo";
    /// <summary>交付履歴 and 本人通知</summary>
    public const string Issuance = "issuance";
    public const string PersonalNoticeRegistration = "notice-registration";
    public const string PersonalNotice = "notice";
    /// <summary>Jobs (バッチ処理, 9.x)</summary>
    public const string Job = "job";
}

/// <summary>
/// 採番: hands out per-city serials inside the caller's transaction. Two writers that take
/// the same serial collide on the application-managed concurrency stamp, and the
/// transaction is retried.
/// </summary>
public sealed class NumberIssuer(SrsDbContext db)
{
    /// <summary>Body width of 宛名番号 and 世帯番号 (the check digit follows).</summary>
    public const int SerialWidth = 9;

    public async Task<long> NextAsync(string tenant, string kind, CancellationToken cancellationToken)
    {
        var sequence = db.NumberSequences.Local.FirstOrDefault(s => s.Kind == kind && s.TenantCode == tenant)
            ?? await db.NumberSequences.SingleOrDefaultAsync(s => s.Kind == kind, cancellationToken);
        if (sequence is null)
        {
            sequence = new NumberSequence { TenantCode = tenant, Kind = kind, Next = 1, ConcurrencyStamp = Guid.NewGuid() };
            db.NumberSequences.Add(sequence);
        }
        else
        {
            sequence.ConcurrencyStamp = Guid.NewGuid();
        }
        var value = sequence.Next;
        sequence.Next = value + 1;
        return value;
    }

    /// <summary>A new serial formatted with its modulus-11 check digit.</summary>
    public async Task<string> NextCheckedAsync(string tenant, string kind, CancellationToken cancellationToken) =>
        CheckDigits.WithCheckDigit(await NextAsync(tenant, kind, cancellationToken), SerialWidth);
}
