using SharedResidentSystem.Core.Numbers;
using SharedResidentSystem.Core.Security;

// srs-token: prints a development bearer token signed with the key under the data directory
// (the same key the server creates on first start in the Development environment), or the
// current code of a TOTP secret (the demonstration staff's second factor).
const string Usage = """
    srs-token --tenant CODE [--staff ID] [--terminal ID] [--unit ID] [--role ROLE]... [--hours N] [--data-dir DIR]

    Prints a development bearer token for the SharedResidentSystem server.
      --tenant    地方公共団体コード of the caller's city (e.g. 132136), or * for an operator
                  of the joint system (with --role operator only)
      --staff     staff id (default: dev-clerk)
      --terminal  terminal id (default: dev-terminal)
      --unit      所属 (organisation unit) for the city's access table (default: none)
      --role      clerk, supervisor, operator or auditor; repeat for several (default: clerk)
      --hours     lifetime in hours (default: 8)
      --data-dir  the server's data directory (its Server:DataDirectory; default: data, which is
                  what ./run.sh uses from the repository root). The server creates the key there
                  on its first start; a token signed with a key from any other folder is refused.
    srs-token totp SECRET

    Prints the current second-factor code of a TOTP secret (base32), as an authenticator app
    would show it: for the demonstration staff of config/staff/demo-staff.json.
    Exit codes: 0 printed, 2 wrong arguments or no key in the data directory.
    """;

if (args is ["totp", var totpSecret])
{
    try
    {
        Console.WriteLine(SharedResidentSystem.Core.Staff.StaffTotp.Code(totpSecret.Trim().ToUpperInvariant(), TimeProvider.System.GetUtcNow()));
        return 0;
    }
    catch (ArgumentException e)
    {
        await Console.Error.WriteLineAsync($"srs-token: not a base32 secret: {e.Message}");
        return 2;
    }
}

string? tenant = null, staff = "dev-clerk", terminal = "dev-terminal", unit = "", dataDir = "data";
var roles = new HashSet<string>(StringComparer.Ordinal);
var hours = 8.0;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    try
    {
        switch (args[i])
        {
            case "--tenant": tenant = Next(); break;
            case "--staff": staff = Next(); break;
            case "--terminal": terminal = Next(); break;
            case "--unit": unit = Next(); break;
            case "--role": roles.Add(Next()); break;
            case "--hours": hours = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
            case "--data-dir": dataDir = Next(); break;
            case "-h" or "--help": Console.WriteLine(Usage); return 0;
            default: throw new ArgumentException($"unknown argument {args[i]}");
        }
    }
    catch (Exception e) when (e is ArgumentException or FormatException)
    {
        await Console.Error.WriteLineAsync($"srs-token: {e.Message}\n\n{Usage}");
        return 2;
    }
}
if (tenant == SrsClaims.JointSystem && !(roles.Count == 1 && roles.Contains(Roles.Operator)))
{
    await Console.Error.WriteLineAsync("srs-token: --tenant * is for operators of the joint system: give --role operator and no other role");
    return 2;
}
if (tenant != SrsClaims.JointSystem && !CheckDigits.IsValidLocalGovernmentCode(tenant))
{
    await Console.Error.WriteLineAsync($"srs-token: --tenant must be a 6-digit 地方公共団体コード with a valid check digit (got '{tenant}')");
    return 2;
}
if (roles.Count == 0)
{
    roles.Add(Roles.Clerk);
}
var unknown = roles.Where(r => !Roles.All.Contains(r)).ToList();
if (unknown.Count > 0 || hours <= 0)
{
    await Console.Error.WriteLineAsync($"srs-token: unknown role(s) {string.Join(", ", unknown)} or bad --hours; roles: {string.Join(", ", Roles.All)}");
    return 2;
}
// The key is the server's: never make one here, or the token would be signed with a key the
// server does not know (a new user running srs-token from another folder, or before the first
// start, would get a token that is refused without knowing why).
var keyFile = Path.Combine(dataDir!, SigningKeys.DevelopmentKeyFile);
if (!File.Exists(keyFile))
{
    await Console.Error.WriteLineAsync($"srs-token: no development key at {Path.GetFullPath(keyFile)}.\n" +
        "Start the server in the Development environment first (ASPNETCORE_ENVIRONMENT=Development ./run.sh creates it under data/ in the repository root), " +
        "or give --data-dir the folder the server uses (its Server:DataDirectory). Outside Development the server takes no development token: sign in with a staff account.");
    return 2;
}
var key = SigningKeys.LoadOrCreateDevelopmentKey(dataDir!);
Console.WriteLine(SigningKeys.Mint(key, new Caller(tenant!, staff!, terminal!, roles) { Unit = unit! }, TimeProvider.System, TimeSpan.FromHours(hours)));
return 0;
