using Grpc.Core;
using Grpc.Net.Client;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Hosting;

/// <summary>End to end: the real server process, started as the README's run command starts it.</summary>
public sealed class ServerProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_server_starts_on_sqlite_with_the_three_cities_and_serves_an_independent_client()
    {
        await using var server = ServerProcess.Start();
        await server.WaitUntilServingAsync(StartTimeout);

        Assert.True(File.Exists(Path.Combine(server.DataDirectory, "srs.db")), "the SQLite file is created under the data directory");
        Assert.True(File.Exists(Path.Combine(server.DataDirectory, SigningKeys.DevelopmentKeyFile)), "a development key is created on first start");

        // The token tool signs with the key the server created.
        var token = await MintAsync(server.DataDirectory, "132136");
        using var channel = GrpcChannel.ForAddress(server.Address);
        var authorized = new Metadata { { "Authorization", $"Bearer {token}" } };
        var tenants = new TenantService.TenantServiceClient(channel);
        Assert.Equal("東村山市", (await tenants.GetTenantAsync(new GetTenantRequest(), authorized)).DisplayName);
        var e = await Assert.ThrowsAsync<RpcException>(() => tenants.GetTenantAsync(new GetTenantRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);

        // Node's grpc-js, through reflection only: lists services, health SERVING, GetTenant with and without a token.
        var client = Path.Combine(RepositoryPaths.Root, "tests", "node-client");
        Assert.True(Directory.Exists(Path.Combine(client, "node_modules")),
            "tests/node-client/node_modules is missing: ./test.sh installs it (npm ci)");
        var node = await ServerProcess.RunAsync("node", [Path.Combine(client, "check.js"), $"127.0.0.1:{server.Port}", token, "東村山市"], TimeSpan.FromSeconds(60));
        Assert.True(node.ExitCode == 0, $"node client failed ({node.ExitCode}): {node.Stdout}{node.Stderr}");
        Assert.Contains("\"withoutToken\":\"UNAUTHENTICATED\"", node.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"health\":\"SERVING\"", node.Stdout, StringComparison.Ordinal);

        // SIGTERM ends it gracefully.
        Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task With_a_certificate_configured_the_server_speaks_tls()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = Path.Combine(RepositoryPaths.NewTempDirectory("srs-tls"), "server.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "test-password"));

        await using var server = ServerProcess.Start(null, $"--Server:CertificatePath={pfx}", "--Server:CertificatePassword=test-password");
        var token = await MintAsync(server.DataDirectory, "132110");
        var thumbprint = certificate.Thumbprint;
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == thumbprint };
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{server.Port}", new GrpcChannelOptions { HttpHandler = handler });
        var tenants = new TenantService.TenantServiceClient(channel);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                var tenant = await tenants.GetTenantAsync(new GetTenantRequest(), new Metadata { { "Authorization", $"Bearer {token}" } });
                Assert.Equal("小平市", tenant.DisplayName);
                break;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(300);
            }
        }
        using var plain = GrpcChannel.ForAddress(server.Address);
        await Assert.ThrowsAsync<RpcException>(() => new TenantService.TenantServiceClient(plain).GetTenantAsync(new GetTenantRequest(), deadline: DateTime.UtcNow.AddSeconds(5)).ResponseAsync);
    }

    [Spec("10.2#19")]
    [Fact]
    public async Task The_auditors_tool_searches_the_log_and_verifies_the_chain_against_a_kept_checkpoint()
    {
        await using var server = ServerProcess.Start();
        await server.WaitUntilServingAsync(StartTimeout);
        var clerk = await MintAsync(server.DataDirectory, "132225");
        using var channel = GrpcChannel.ForAddress(server.Address);
        var residents = new Contracts.Residents.V1.ResidentService.ResidentServiceClient(channel);
        var authorized = new Metadata { { "Authorization", $"Bearer {clerk}" } };
        await residents.SearchResidentsAsync(new Contracts.Residents.V1.SearchResidentsRequest { NameQuery = "タカハシ" }, authorized);
        var tool = ServerProcess.ProgramPath("tools/SharedResidentSystem.AuditTool", "srs-audit.dll");
        var token = await MintAsync(server.DataDirectory, "132225", "auditor");
        string[] connect = ["--address", server.Address, "--token", token];
        var checkpoint = Path.Combine(server.DataDirectory, "checkpoint.json");

        var verify = await ServerProcess.RunAsync("dotnet", [tool, "verify-chain", "--save-checkpoint", checkpoint, .. connect], TimeSpan.FromSeconds(60));
        Assert.True(verify.ExitCode == 0, verify.Stdout + verify.Stderr);
        Assert.StartsWith("intact:", verify.Stdout, StringComparison.Ordinal);
        var search = await ServerProcess.RunAsync("dotnet", [tool, "log", "search", "--staff", "dev-clerk", "--json", .. connect], TimeSpan.FromSeconds(60));
        Assert.Equal(0, search.ExitCode);
        Assert.Contains("/srs.residents.v1.ResidentService/SearchResidents", search.Stdout, StringComparison.Ordinal);
        var analyse = await ServerProcess.RunAsync("dotnet", [tool, "log", "analyse", "access-per-staff", .. connect], TimeSpan.FromSeconds(60));
        Assert.Contains("dev-clerk", analyse.Stdout, StringComparison.Ordinal);
        var kept = await ServerProcess.RunAsync("dotnet", [tool, "verify-chain", "--checkpoint", checkpoint, .. connect], TimeSpan.FromSeconds(60));
        Assert.True(kept.ExitCode == 0, kept.Stdout + kept.Stderr);

        // Without a token the tool says so and exits 3; without arguments it prints its help.
        var refused = await ServerProcess.RunAsync("dotnet", [tool, "verify-chain", "--address", server.Address, "--token", "x"], TimeSpan.FromSeconds(60));
        Assert.Equal(3, refused.ExitCode);
        var usage = await ServerProcess.RunAsync("dotnet", [tool, "nonsense"], TimeSpan.FromSeconds(60));
        Assert.Equal(2, usage.ExitCode);
    }

    [Fact]
    public async Task The_token_tool_refuses_a_data_directory_where_no_server_made_a_key()
    {
        var empty = RepositoryPaths.NewTempDirectory("srs-no-key");
        try
        {
            var tool = ServerProcess.ProgramPath("tools/SharedResidentSystem.DevTokens", "srs-token.dll");
            var (code, stdout, stderr) = await ServerProcess.RunAsync("dotnet", [tool, "--tenant", "132136", "--data-dir", empty], TimeSpan.FromSeconds(60));
            Assert.Equal(2, code);
            Assert.Equal("", stdout.Trim());
            Assert.Contains("--data-dir", stderr, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(empty));
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task A_restart_keeps_the_data_and_the_key(string provider)
    {
        var data = RepositoryPaths.NewTempDirectory("srs-e2e");
        var storage = await ServerProcess.StorageAsync(provider);
        try
        {
            string resident;
            await using (var first = ServerProcess.Start(data, storage))
            {
                await first.WaitUntilServingAsync(StartTimeout);
                var clerk = await MintAsync(data, "132225");
                using var firstChannel = GrpcChannel.ForAddress(first.Address);
                var moveIn = Requests.MoveIn("132225", Requests.UniqueKana(), members: 1);
                resident = (await new Contracts.Registration.V1.RegistrationService.RegistrationServiceClient(firstChannel)
                    .RecordMoveInAsync(moveIn, new Metadata { { "Authorization", $"Bearer {clerk}" } })).Residents[0].Name;
                Assert.Equal(0, await first.TerminateAsync(TimeSpan.FromSeconds(30)));
            }
            var token = await MintAsync(data, "132225");
            await using var second = ServerProcess.Start(data, storage);
            await second.WaitUntilServingAsync(StartTimeout);
            using var channel = GrpcChannel.ForAddress(second.Address);
            var headers = new Metadata { { "Authorization", $"Bearer {token}" } };
            var tenant = await new TenantService.TenantServiceClient(channel).GetTenantAsync(new GetTenantRequest(), headers);
            Assert.Equal("東久留米市", tenant.DisplayName);
            Assert.Equal(1, tenant.ConfigVersion);
            var kept = await new Contracts.Residents.V1.ResidentService.ResidentServiceClient(channel).GetResidentAsync(new Contracts.Residents.V1.GetResidentRequest { Name = resident }, headers);
            Assert.Equal("高橋", kept.PersonName.Family);
        }
        finally
        {
            RepositoryPaths.Remove(data);
        }
    }

    [Fact]
    public async Task An_era_set_to_begin_before_the_current_one_stops_start_up_naming_the_key()
    {
        await using var server = ServerProcess.Start(null, "--Japanese:Eras:0:Name=新元", "--Japanese:Eras:0:Initial=N", "--Japanese:Eras:0:From=2019-01-01");
        Assert.Equal(2, await server.WaitForExitAsync(StartTimeout));
        Assert.Contains("Japanese:Eras", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_provider_stops_start_up_naming_the_key()
    {
        await using var server = ServerProcess.Start(null, "--Storage:Provider=oracle");
        Assert.Equal(2, await server.WaitForExitAsync(StartTimeout));
        Assert.Contains("Storage:Provider", server.Output, StringComparison.Ordinal);
        Assert.Contains("oracle", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_tenant_file_stops_start_up_naming_the_file()
    {
        var tenants = CopyTenants();
        await File.WriteAllTextAsync(Path.Combine(tenants, "132136.json"), "{ \"code\": \"132136\", ");
        await using var server = ServerProcess.Start(null, $"--Server:TenantsDirectory={tenants}");
        Assert.Equal(2, await server.WaitForExitAsync(StartTimeout));
        Assert.Contains("132136.json", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_check_digit_stops_start_up_naming_the_file_and_key()
    {
        var tenants = CopyTenants();
        var text = await File.ReadAllTextAsync(Path.Combine(tenants, "132110.json"));
        File.Delete(Path.Combine(tenants, "132110.json"));
        await File.WriteAllTextAsync(Path.Combine(tenants, "132111.json"), text.Replace("\"132110\"", "\"132111\"", StringComparison.Ordinal));
        await using var server = ServerProcess.Start(null, $"--Server:TenantsDirectory={tenants}");
        Assert.Equal(2, await server.WaitForExitAsync(StartTimeout));
        Assert.Contains("132111.json: $.code", server.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Server:Port=notaport", "Server")]
    [InlineData("--Server:Host=localhost.example", "Server:Host")]
    [InlineData("--Auth:SigningKey=c2hvcnQ=", "Auth:SigningKey")]
    [InlineData("--Auth:Issuers:0:Issuer=not a uri", "Auth:Issuers:0:Issuer")]
    [InlineData("--Auth:SignIn:MaxFailedAttempts=0", "Auth:SignIn:MaxFailedAttempts")]
    [InlineData("--Storage:Provider=postgresql", "Storage:ConnectionString")]
    public async Task Other_bad_settings_stop_start_up_naming_the_key(string setting, string key)
    {
        await using var server = ServerProcess.Start(null, setting);
        Assert.Equal(2, await server.WaitForExitAsync(StartTimeout));
        Assert.Contains(key, server.Output, StringComparison.Ordinal);
    }

    private static Task<string> MintAsync(string dataDirectory, string tenant, string role = "clerk") => ServerProcess.MintAsync(dataDirectory, tenant, role);

    private static string CopyTenants()
    {
        var target = RepositoryPaths.NewTempDirectory("srs-tenants");
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.TenantsDirectory, "*.json"))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        return target;
    }
}
