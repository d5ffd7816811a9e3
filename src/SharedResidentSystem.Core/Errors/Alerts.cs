namespace SharedResidentSystem.Core.Errors;

/// <summary>
/// Alert codes (11.1): input that is logically possible but needs the clerk's attention. The
/// 異動 is refused until it is sent again with the code acknowledged. Listed in docs/errors.md.
/// </summary>
public static class AlertCodes
{
    /// <summary>転入 of a person aged 110 or more.</summary>
    public const string AgeOver110 = "AGE_OVER_110";
    /// <summary>An active resident with the same reading and birth date already exists.</summary>
    public const string PossibleDuplicate = "POSSIBLE_DUPLICATE";
    /// <summary>The 届出 came more than 14 days after the event (法22条, 戸籍法49条).</summary>
    public const string NotifiedLate = "NOTIFIED_LATE";
    /// <summary>The 世帯主 leaves and two or more members stay without one (4.0.4).</summary>
    public const string HeadAbsent = "HEAD_ABSENT";
    /// <summary>A new household is formed without a 世帯主 (1.1.10 allows it).</summary>
    public const string NoHead = "NO_HEAD";
    /// <summary>A 転居 to the same address (only the 方書 differs, 4.1.2.1).</summary>
    public const string SameAddress = "SAME_ADDRESS";
    /// <summary>A 除票 has the same name, sex and birth date: perhaps a 再転入 (4.1.1.2).</summary>
    public const string ReentryCandidate = "REENTRY_CANDIDATE";
    /// <summary>An alert-level 抑止 applies to the resident or household (3.1).</summary>
    public const string Suppressed = "SUPPRESSED";
    /// <summary>Someone named in a 異動 (届出人, a person recorded) matches a recorded 支援措置 加害者 (3.4).</summary>
    public const string PerpetratorNamed = "PERPETRATOR_NAMED";
    /// <summary>A 転出 planned more than 30 days ahead.</summary>
    public const string PlannedFarAhead = "PLANNED_FAR_AHEAD";
}

/// <summary>One alert raised by a rule.</summary>
public sealed record Alert(string Code, string Field, string Message);

/// <summary>Refusal until the listed alerts are acknowledged (FAILED_PRECONDITION).</summary>
public sealed class AlertException(IReadOnlyList<Alert> alerts)
    : DomainException(ErrorKind.FailedPrecondition, ErrorReasons.AlertNotAcknowledged,
        "確認が必要です: " + string.Join(" ", alerts.Select(a => $"[{a.Code}] {a.Message}")),
        alerts.Select(a => new FieldViolation(a.Field, a.Message)).ToList())
{
    public IReadOnlyList<Alert> Alerts { get; } = alerts;
}

/// <summary>Collects alerts; refuses with those not acknowledged.</summary>
public sealed class AlertCollector(IEnumerable<string> acknowledged)
{
    private readonly HashSet<string> _acknowledged = acknowledged.Select(a => a.Trim()).ToHashSet(StringComparer.Ordinal);
    private readonly List<Alert> _raised = [];

    public IReadOnlyList<Alert> Raised => _raised;

    public void Raise(string code, string field, string message) => _raised.Add(new Alert(code, field, message));

    public void ThrowIfUnacknowledged()
    {
        var open = _raised.Where(a => !_acknowledged.Contains(a.Code)).ToList();
        if (open.Count > 0)
        {
            throw new AlertException(open);
        }
    }

    /// <summary>The acknowledged codes that were actually raised, for the 異動 record.</summary>
    public string AcknowledgedText => string.Join(',', _raised.Select(a => a.Code).Distinct().Order(StringComparer.Ordinal));
}
