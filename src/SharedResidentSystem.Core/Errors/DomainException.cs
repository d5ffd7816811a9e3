namespace SharedResidentSystem.Core.Errors;

/// <summary>What kind of refusal a domain error is; the gRPC layer maps it to a status code.</summary>
public enum ErrorKind
{
    /// <summary>The request itself is wrong (a field is missing or invalid).</summary>
    InvalidArgument,
    /// <summary>The request is valid but the register's state does not allow it.</summary>
    FailedPrecondition,
    /// <summary>The target does not exist, or exists in another city (never said which).</summary>
    NotFound,
    /// <summary>A stale etag or a concurrent change.</summary>
    Aborted,
    /// <summary>The target already exists (or a request id was reused for another request).</summary>
    AlreadyExists,
    /// <summary>The caller may not do this.</summary>
    PermissionDenied,
    /// <summary>No valid token: the caller is unknown.</summary>
    Unauthenticated,
    /// <summary>The caller has too many calls under way; try again shortly.</summary>
    ResourceExhausted,
}

/// <summary>One offending field: its proto path and a message for the clerk.</summary>
public sealed record FieldViolation(string Field, string Description);

/// <summary>
/// A refusal decided by a domain rule. The reason is a stable UPPER_SNAKE code listed in
/// docs/errors.md; the message is Japanese, for the clerk; nothing was changed.
/// </summary>
public class DomainException : Exception
{
    public DomainException(ErrorKind kind, string reason, string message, IReadOnlyList<FieldViolation>? violations = null)
        : base(message)
    {
        Kind = kind;
        Reason = reason;
        Violations = violations ?? [];
    }

    public ErrorKind Kind { get; }

    public string Reason { get; }

    public IReadOnlyList<FieldViolation> Violations { get; }

    /// <summary>The residents (宛名番号) the refusal concerns, so that its access-log entry names them.</summary>
    public IReadOnlyCollection<string> Residents { get; private set; } = [];

    /// <summary>Adds residents this refusal concerns; returns the same exception to throw.</summary>
    public DomainException Concerning(IEnumerable<string> residents)
    {
        Residents = Residents.Concat(residents).Where(r => r.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return this;
    }

    public static DomainException Invalid(string reason, string field, string description) =>
        new(ErrorKind.InvalidArgument, reason, description, [new FieldViolation(field, description)]);

    public static DomainException NotFound(string what) =>
        new(ErrorKind.NotFound, ErrorReasons.NotFound, $"{what}が見つかりません。");

    /// <summary>NOT_FOUND naming the field that pointed at the missing thing.</summary>
    public static DomainException NotFound(string what, string field) =>
        new(ErrorKind.NotFound, ErrorReasons.NotFound, $"{what}が見つかりません。", [new FieldViolation(field, $"{what}が見つかりません。")]);
}
