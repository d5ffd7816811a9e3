using System.Globalization;
using System.Security.Cryptography;
using Google.Protobuf;
using SharedResidentSystem.Core.Errors;

namespace SharedResidentSystem.Server.Common;

/// <summary>
/// Pages of a list call (AIP-158), by the key of the last row shown: the token is opaque to
/// the caller and bound to the request's criteria, so a token sent with changed criteria is
/// refused instead of giving a mixed list (the page size may change from page to page).
/// </summary>
public static class PageTokens
{
    public const int DefaultSize = 50;
    public const int MaxSize = 500;

    /// <summary>The page's size; a negative one is refused.</summary>
    public static int Size(int requested) => requested switch
    {
        < 0 => throw DomainException.Invalid(ErrorReasons.InvalidField, "page_size", "page_size は0以上です。"),
        0 => DefaultSize,
        _ => Math.Min(requested, MaxSize),
    };

    /// <summary>The key after which the page starts; null for the first page.</summary>
    public static long? After(IMessage request, string token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        var parts = token.Split('.');
        if (parts.Length == 2 && parts[0] == Fingerprint(request) && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var key))
        {
            return key;
        }
        throw DomainException.Invalid(ErrorReasons.InvalidPageToken, "page_token", "page_token が正しくないか、ほかの条件が前回と違います。");
    }

    /// <summary>Takes one page of <paramref name="rows"/> (read one row beyond the size) and the token of the next.</summary>
    public static (IReadOnlyList<T> Page, string NextToken) Page<T>(IMessage request, IReadOnlyList<T> rows, int size, Func<T, long> key) =>
        rows.Count > size
            ? (rows.Take(size).ToList(), $"{Fingerprint(request)}.{key(rows[size - 1]).ToString(CultureInfo.InvariantCulture)}")
            : (rows, "");

    /// <summary>The request's criteria: every field but the page's own.</summary>
    private static string Fingerprint(IMessage request)
    {
        var criteria = request.Descriptor.Parser.ParseFrom(request.ToByteString());
        criteria.Descriptor.FindFieldByName("page_token")?.Accessor.Clear(criteria);
        criteria.Descriptor.FindFieldByName("page_size")?.Accessor.Clear(criteria);
        return Convert.ToHexString(SHA256.HashData(criteria.ToByteArray()), 0, 8);
    }
}
