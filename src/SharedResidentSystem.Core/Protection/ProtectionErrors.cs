using SharedResidentSystem.Core.Errors;

namespace SharedResidentSystem.Core.Protection;

/// <summary>The refusals 抑止 and 支援措置 share.</summary>
internal static class ProtectionErrors
{
    internal static void CheckETag(string etag, Guid stamp)
    {
        if (etag.Length > 0 && etag != stamp.ToString("N"))
        {
            throw new DomainException(ErrorKind.Aborted, ErrorReasons.StaleEtag, "ほかの処理で変わっています。読み直してください。", [new FieldViolation("etag", "etag が最新ではありません。")]);
        }
    }

    internal static DomainException Rule(string field, string message) =>
        new(ErrorKind.FailedPrecondition, ErrorReasons.SupportMeasureRule, message, [new FieldViolation(field, message)]);
}
