using OtpNet;

namespace SharedResidentSystem.Core.Staff;

/// <summary>
/// The second factor (10.3): a time-based one-time code (RFC 6238: 30-second steps, 6 digits,
/// HMAC-SHA1, as authenticator apps make them) from the account's shared secret (base32). A
/// code is checked against the server's clock, one step either side, and is good once: a step
/// already used (or older) is refused, so an observed code cannot be replayed.
/// </summary>
public static class StaffTotp
{
    /// <summary>Steps either side of now that are accepted (clock drift of the staff member's device).</summary>
    public const int Drift = 1;

    /// <summary>
    /// Whether <paramref name="code"/> is the account's current code at <paramref name="now"/>
    /// and newer than the last one used; when it is, the account remembers its step.
    /// </summary>
    public static bool Verify(StaffAccount account, string secret, string code, DateTimeOffset now)
    {
        code = code.Trim();
        if (code.Length != 6 || !code.All(char.IsAsciiDigit) || string.IsNullOrEmpty(secret))
        {
            return false;
        }
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        if (!totp.VerifyTotp(now.UtcDateTime, code, out var step, new VerificationWindow(Drift, Drift)) || step <= account.LastTotpStep)
        {
            return false;
        }
        account.LastTotpStep = step;
        return true;
    }

    /// <summary>The code at <paramref name="at"/> (what an authenticator app shows; for the development tool and tests).</summary>
    public static string Code(string secret, DateTimeOffset at) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(at.UtcDateTime);

    /// <summary>The otpauth URI an authenticator app reads (as a QR code) to add the account.</summary>
    public static string Uri(string secret, string issuer, string account) =>
        $"otpauth://totp/{System.Uri.EscapeDataString(issuer)}:{System.Uri.EscapeDataString(account)}?secret={secret}&issuer={System.Uri.EscapeDataString(issuer)}&digits=6&period=30";
}
