using SharedResidentSystem.Client;
using SharedResidentSystem.Core.Staff;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.SignIn;

/// <summary>
/// End to end: the server process in the Production environment as ./run.sh starts it (with
/// the demonstration staff), and the programs signing in with ID, password and TOTP code.
/// </summary>
public sealed class SignInProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);


    /// <summary>The code an authenticator app shows now (the server process runs on the system clock).</summary>
    private static string CodeNow(string secret) => StaffTotp.Code(secret, DateTimeOffset.UtcNow);

    private static Dictionary<string, string> SignInEnvironment(string tenant, string staffId)
    {
        var (password, secret) = ServerProcess.DemoStaff(staffId);
        return new() { ["SRS_TENANT"] = tenant, ["SRS_STAFF"] = staffId, ["SRS_PASSWORD"] = password, ["SRS_TOTP"] = CodeNow(secret), ["SRS_TOKEN"] = "" };
    }

    [Theory]
    [InlineData("--Auth:SignIn:Enabled=false", "Auth:Issuers")]
    [InlineData("--Auth:SigningKey=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "Auth:SigningKey")]
    public async Task Production_does_not_start_without_an_issuer_nor_with_the_development_key(string setting, string key)
    {
        await using var server = ServerProcess.StartIn("Production", null, setting);
        Assert.Equal(2, await server.WaitForExitAsync(StartTimeout));
        Assert.Contains(key, server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_that_reaches_no_server_says_so_and_exits_as_unreachable()
    {
        var nowhere = $"http://127.0.0.1:{ServerProcess.FreePort()}";
        var terminal = await ServerProcess.RunAsync("dotnet", [ServerProcess.ProgramPath("tools/SharedResidentSystem.Terminal", "srs-terminal.dll"), "whoami", "--address", nowhere],
            TimeSpan.FromSeconds(60), environment: SignInEnvironment("132225", "kurume-clerk"));
        Assert.Equal(3, terminal.ExitCode);
        Assert.Contains("接続できません", terminal.Stderr, StringComparison.Ordinal);
        var admin = await ServerProcess.RunAsync("dotnet", [ServerProcess.ProgramPath("tools/SharedResidentSystem.AdminTool", "srs-admin.dll"), "staff", "list", "--address", nowhere],
            TimeSpan.FromSeconds(60), environment: SignInEnvironment("*", "joint-operator"));
        Assert.NotEqual(0, admin.ExitCode);
        Assert.Contains("接続できません", admin.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task As_run_sh_starts_it_the_demo_staff_sign_in_and_terminal_admin_and_audit_programs_use_it()
    {
        await using var server = ServerProcess.StartIn("Production", null, "--Auth:SignIn:DemoStaffFile=config/staff/demo-staff.json");
        await server.WaitUntilServingAsync(StartTimeout);
        Assert.False(File.Exists(Path.Combine(server.DataDirectory, Core.Security.SigningKeys.DevelopmentKeyFile)), "no development key outside Development");

        // The client library over real h2c: sign in, then the register with the token.
        var (password, secret) = ServerProcess.DemoStaff("kurume-clerk");
        using (var signIn = new StaffSignIn(new Uri(server.Address), "srs-terminal"))
        {
            var outcome = await signIn.SignInAsync(new SignInCredentials("132225", "kurume-clerk", password, CodeNow(secret), "E2E-1"));
            Assert.True(outcome.Succeeded, outcome.Message);
            using var client = new RegisterClient(new RegisterClientOptions { Address = new Uri(server.Address), Token = signIn.Token });
            var session = await client.GetSessionAsync();
            Assert.True(session.Succeeded, session.Problem?.Message);
            Assert.Equal(("132225", "kurume-clerk", "E2E-1"), (session.Value!.Tenant, session.Value.StaffId, session.Value.Terminal));
            Assert.True(await signIn.RenewAsync(), "the refresh token renews the access token");
        }

        var terminal = await ServerProcess.RunAsync("dotnet", [ServerProcess.ProgramPath("tools/SharedResidentSystem.Terminal", "srs-terminal.dll"), "whoami", "--address", server.Address, "--terminal", "E2E-2"],
            TimeSpan.FromSeconds(60), environment: SignInEnvironment("132225", "kurume-supervisor"));
        Assert.True(terminal.ExitCode == 0, terminal.Stdout + terminal.Stderr);
        Assert.Contains("東久留米市", terminal.Stdout, StringComparison.Ordinal);
        Assert.Contains("kurume-supervisor", terminal.Stdout, StringComparison.Ordinal);

        var admin = await ServerProcess.RunAsync("dotnet", [ServerProcess.ProgramPath("tools/SharedResidentSystem.AdminTool", "srs-admin.dll"), "staff", "list", "--city", "132110", "--address", server.Address],
            TimeSpan.FromSeconds(60), environment: SignInEnvironment("*", "joint-operator"));
        Assert.True(admin.ExitCode == 0, admin.Stdout + admin.Stderr);
        Assert.Contains("132110/kodaira-clerk", admin.Stdout, StringComparison.Ordinal);

        var audit = await ServerProcess.RunAsync("dotnet", [ServerProcess.ProgramPath("tools/SharedResidentSystem.AuditTool", "srs-audit.dll"), "log", "search", "--function", "SignIn/Password", "--address", server.Address],
            TimeSpan.FromSeconds(60), environment: SignInEnvironment("132225", "kurume-auditor"));
        Assert.True(audit.ExitCode == 0, audit.Stdout + audit.Stderr);
        Assert.Contains("kurume-clerk", audit.Stdout, StringComparison.Ordinal);
        Assert.Contains("kurume-supervisor", audit.Stdout, StringComparison.Ordinal);

        // A wrong password: the program says why and exits as a sign-in failure.
        var wrong = SignInEnvironment("132225", "kurume-operator");
        wrong["SRS_PASSWORD"] = "not-the-password-1";
        var refused = await ServerProcess.RunAsync("dotnet", [ServerProcess.ProgramPath("tools/SharedResidentSystem.Terminal", "srs-terminal.dll"), "whoami", "--address", server.Address],
            TimeSpan.FromSeconds(60), environment: wrong);
        Assert.Equal(5, refused.ExitCode);
        Assert.Contains("サインインできません", refused.Stderr, StringComparison.Ordinal);

        // Nothing typed at the sign-in reaches the server's log.
        Assert.DoesNotContain(password, server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password-1", server.Output, StringComparison.Ordinal);
    }
}
