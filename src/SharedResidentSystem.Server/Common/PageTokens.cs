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
    public static long? After(IMessage request, string token) =>
        AfterKey(request, token) is { } key
            ? long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : throw Refused()
            : null;

    /// <summary>The key (as text, for a list ordered by more than one column) after which the page starts; null for the first page.</summary>
    public static string? AfterKey(IMessage request, string token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && token[..dot] == Fingerprint(request) && token.Length > dot + 1)
        {
            return token[(dot + 1)..];
        }
        throw Refused();
    }

    /// <summary>Takes one page of <paramref name="rows"/> (read one row beyond the size) and the token of the next.</summary>
    public static (IReadOnlyList<T> Page, string NextToken) Page<T>(IMessage request, IReadOnlyList<T> rows, int size, Func<T, long> key) =>
        Page(request, rows, size, row => key(row).ToString(CultureInfo.InvariantCulture));

    /// <summary>As <see cref="Page{T}(IMessage, IReadOnlyList{T}, int, Func{T, long})"/>, with a key as text.</summary>
    public static (IReadOnlyList<T> Page, string NextToken) Page<T>(IMessage request, IReadOnlyList<T> rows, int size, Func<T, string> key) =>
        rows.Count > size
            ? (rows.Take(size).ToList(), $"{Fingerprint(request)}.{key(rows[size - 1])}")
            : (rows, "");

    /// <summary>The refusal of a token that is not ours or was made for other criteria.</summary>
    public static DomainException Refused() =>
        DomainException.Invalid(ErrorReasons.InvalidPageToken, "page_token", "page_token が正しくないか、ほかの条件が前回と違います。");

    /// <summary>The request's criteria: every field but the page's own.</summary>
    private static string Fingerprint(IMessage request)
    {
        var criteria = request.Descriptor.Parser.ParseFrom(request.ToByteString());
        criteria.Descriptor.FindFieldByName("page_token")?.Accessor.Clear(criteria);
        criteria.Descriptor.FindFieldByName("page_size")?.Accessor.Clear(criteria);
        return Convert.ToHexString(SHA256.HashData(criteria.ToByteArray()), 0, 8);
    }
}
