namespace SharedResidentSystem.Server.Common;

/// <summary>
/// An exception as it may be logged above Debug: its type and stack trace, its message withheld
/// (a message can quote what it failed on — a name typed at the counter, a 宛名番号), likewise
/// for each inner exception. The full exception is logged at Debug beside it.
/// </summary>
public sealed class WithheldException : Exception
{
    private readonly string? _stackTrace;

    private WithheldException(Exception original)
        : base($"{original.GetType().FullName} (message withheld from logs above Debug)", original.InnerException is null ? null : new WithheldException(original.InnerException))
    {
        _stackTrace = original.StackTrace;
        HResult = original.HResult;
    }

    public override string? StackTrace => _stackTrace;

    public static Exception Of(Exception original) => original is WithheldException ? original : new WithheldException(original);
}
