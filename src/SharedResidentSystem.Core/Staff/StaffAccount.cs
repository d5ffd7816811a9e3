using Microsoft.AspNetCore.Identity;
using SharedResidentSystem.Core.Security;

namespace SharedResidentSystem.Core.Staff;

/// <summary>
/// A staff member who signs in with the system's own sign-in (10.3): ID, password and a TOTP
/// second factor, per city. The account's user name is "{city}/{staff ID}", so the same staff
/// ID may exist in two cities; an operator of the joint system has the city "*".
/// </summary>
public sealed class StaffAccount : IdentityUser
{
    public const int MaxStaffIdLength = 64;

    /// <summary>The city (団体コード), or "*" for an operator of the joint system.</summary>
    public string TenantCode { get; set; } = "";

    /// <summary>The staff ID the member types and the access log names.</summary>
    public string StaffId { get; set; } = "";

    public string DisplayName { get; set; } = "";

    /// <summary>所属 (organisation unit); the city's access table may grant by it.</summary>
    public string Unit { get; set; } = "";

    /// <summary>The roles, space-separated (clerk, supervisor, operator, auditor).</summary>
    public string Roles { get; set; } = "";

    /// <summary>A disabled account cannot sign in nor refresh its tokens.</summary>
    public bool Disabled { get; set; }

    /// <summary>Set by an operator's reset: the next sign-in must choose a new password.</summary>
    public bool MustChangePassword { get; set; }

    /// <summary>The last TOTP time step accepted: a code is good once (no replay).</summary>
    public long LastTotpStep { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public IReadOnlySet<string> RoleSet =>
        Roles.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(Security.Roles.Staff.Contains).ToHashSet(StringComparer.Ordinal);

    public static string UserNameOf(string tenant, string staffId) => $"{tenant}/{staffId}";

    /// <summary>Whether a staff ID may be used: 1–64 letters, digits, '.', '-', '_' or '@'.</summary>
    public static bool IsValidStaffId(string staffId) =>
        staffId.Length is > 0 and <= MaxStaffIdLength && staffId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@');

    public static string JoinRoles(IEnumerable<string> roles) => string.Join(' ', roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    public bool IsJointOperator => TenantCode == SrsClaims.JointSystem;
}
