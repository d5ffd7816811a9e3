namespace SharedResidentSystem.Core.Security;

/// <summary>The roles a token may carry (10.3, 10.4).</summary>
public static class Roles
{
    /// <summary>窓口職員</summary>
    public const string Clerk = "clerk";
    /// <summary>審査・決裁者</summary>
    public const string Supervisor = "supervisor";
    /// <summary>運用者 of the joint system or of one city</summary>
    public const string Operator = "operator";
    /// <summary>監査</summary>
    public const string Auditor = "auditor";
    /// <summary>
    /// 連携先システム: one of the city's other systems (税, 国保, 戸籍附票 …) as its configuration
    /// names it (linkedSystems); the token's sub is the system's id. Never a staff member's role.
    /// </summary>
    public const string LinkedSystem = "linked-system";

    /// <summary>The roles a staff member's account may hold.</summary>
    public static readonly IReadOnlySet<string> Staff = new HashSet<string>(StringComparer.Ordinal) { Clerk, Supervisor, Operator, Auditor };

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Clerk, Supervisor, Operator, Auditor, LinkedSystem };
}

/// <summary>Claim names in our tokens.</summary>
public static class SrsClaims
{
    public const string Tenant = "tenant";
    public const string Staff = "sub";
    public const string Terminal = "terminal";
    public const string Role = "role";
    /// <summary>所属 (organisation unit), optional; the city's access table (10.3) may grant by it.</summary>
    public const string Unit = "unit";

    /// <summary>The tenant claim of an operator of the joint system, who may administer every city.</summary>
    public const string JointSystem = "*";
}

/// <summary>
/// Who is calling, from the verified token only: the city (tenant), the staff member,
/// the terminal and the roles. No request field can change any of these.
/// </summary>
public sealed record Caller(string TenantCode, string StaffId, string TerminalId, IReadOnlySet<string> Roles)
{
    public bool IsInRole(string role) => Roles.Contains(role);

    /// <summary>所属 from the token, when the identity provider sends one.</summary>
    public string Unit { get; init; } = "";

    /// <summary>An operator of the joint system (not of one city).</summary>
    public bool IsJointOperator => TenantCode == SrsClaims.JointSystem;
}

/// <summary>Holds the caller of the current request (scoped); storage filters by its tenant.</summary>
public sealed class CallerContext
{
    private Caller? _caller;

    public Caller? Current => _caller;

    public Caller Required => _caller ?? throw new InvalidOperationException("No authenticated caller in this scope.");

    public string? TenantCode => _caller?.TenantCode;

    /// <summary>The residents the request of this call names (宛名番号), for its access-log entry.</summary>
    public IReadOnlyCollection<string> Requested { get; set; } = [];

    public void Set(Caller caller)
    {
        if (_caller is not null && _caller != caller)
        {
            throw new InvalidOperationException("The caller of a scope cannot change.");
        }
        _caller = caller;
    }
}
