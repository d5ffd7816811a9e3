using Grpc.Core;
using Grpc.Net.Client;
using Npgsql;
using SharedResidentSystem.Contracts.Common.V1;
using SharedResidentSystem.Contracts.Registration.V1;
using SharedResidentSystem.Contracts.Residents.V1;
using SharedResidentSystem.Contracts.Tenancy.V1;
using SharedResidentSystem.Server.Hosting;
using SharedResidentSystem.Server.Tests.Infrastructure;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Server.Tests.Hosting;

/// <summary>
/// End to end: what docs/operations.md tells an operator to do — publish, upgrade a database with
/// the migration bundles and start without migrating, back up while the server writes and
/// restore — done with the shipped scripts against the real processes.
/// </summary>
public sealed class DeploymentTests
{
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(90);
    private static string Deploy(string script) => Path.Combine(RepositoryPaths.Root, "deploy", script);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task A_backup_taken_while_the_server_runs_restores_the_register_as_it_was_then(string provider)
    {
        var storage = await ServerProcess.StorageAsync(provider);
        var connection = storage.Length > 0 ? storage[1]["--Storage:ConnectionString=".Length..] : null;
        var backup = Path.Combine(RepositoryPaths.NewTempDirectory("srs-backup"), "backup");
        string before, after;
        await using (var server = ServerProcess.Start(null, storage))
        {
            await server.WaitUntilServingAsync(Start);
            var clerk = await ClerkAsync(server);
            before = await MoveInAsync(clerk, "保存前", "ホゾンマエ");
            var taken = await ServerProcess.RunAsync("bash", [Deploy("backup.sh"), "--data", server.DataDirectory, "--to", backup, .. PgArguments(connection)], TimeSpan.FromSeconds(120));
            Assert.True(taken.ExitCode == 0, $"backup.sh failed ({taken.ExitCode}): {taken.Stdout}{taken.Stderr}");
            after = await MoveInAsync(clerk, "保存後", "ホゾンゴ");
            Assert.Equal(0, await server.TerminateAsync(TimeSpan.FromSeconds(30)));
        }

        // Restored into a new data directory (and a new empty database): the register as it was at the backup.
        var restoredData = Path.Combine(RepositoryPaths.NewTempDirectory("srs-restored"), "data");
        var restoredConnection = connection is null ? null : await (await PostgresCluster.GetAsync()).CreateDatabaseAsync();
        var restored = await ServerProcess.RunAsync("bash", [Deploy("restore.sh"), "--from", backup, "--data", restoredData, .. PgArguments(restoredConnection)], TimeSpan.FromSeconds(120));
        Assert.True(restored.ExitCode == 0, $"restore.sh failed ({restored.ExitCode}): {restored.Stdout}{restored.Stderr}");
        // Never into a directory that holds something: a restore does not mix with what is there.
        var mixed = await ServerProcess.RunAsync("bash", [Deploy("restore.sh"), "--from", backup, "--data", restoredData], TimeSpan.FromSeconds(60));
        Assert.Equal(2, mixed.ExitCode);

        await using (var server = ServerProcess.Start(restoredData, restoredConnection is null ? [] : ["--Storage:Provider=postgresql", $"--Storage:ConnectionString={restoredConnection}"]))
        {
            await server.WaitUntilServingAsync(Start);
            var clerk = await ClerkAsync(server);
            Assert.Equal("保存前", (await clerk.Residents.GetResidentAsync(new GetResidentRequest { Name = before }, clerk.Headers)).PersonName.Given);
            var gone = await Assert.ThrowsAsync<RpcException>(() => clerk.Residents.GetResidentAsync(new GetResidentRequest { Name = after }, clerk.Headers).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, gone.StatusCode);
            // The restored register takes new 異動 (its numbers and the access log go on from the backup).
            Assert.NotEqual(before, await MoveInAsync(clerk, "復元後", "フクゲンゴ"));
        }
    }

    [Fact]
    public async Task The_published_server_starts_on_a_database_its_migration_bundles_upgraded_and_refuses_one_they_did_not()
    {
        var output = Path.Combine(RepositoryPaths.NewTempDirectory("srs-publish"), "publish");
        var published = await ServerProcess.RunAsync("bash", [Deploy("publish.sh"), "--out", output, "--providers", "postgresql", "server"], TimeSpan.FromMinutes(8));
        Assert.True(published.ExitCode == 0, $"publish.sh failed ({published.ExitCode}): {published.Stdout}{published.Stderr}");
        var program = Path.Combine(output, "server", "srs-server");
        Assert.True(File.Exists(program), "the server's own program is published");
        Assert.True(File.Exists(Path.Combine(output, "config", "tenants", "132136.json")), "the seed documents go beside it");

        var database = await (await PostgresCluster.GetAsync()).CreateDatabaseAsync();
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        // As the systemd unit runs it: from a working directory of its own, paths set, nothing migrated at start.
        string[] settings =
        [
            "--Storage:Provider=postgresql", $"--Storage:ConnectionString={database}", "--Storage:MigrateOnStart=false",
            $"--Server:TenantsDirectory={Path.Combine(output, "config", "tenants")}", $"--Server:MigrationLayout={Path.Combine(output, "config", "migration", "layout.json")}",
            $"--Audit:CheckpointKey={key}", "--Server:Reflection=false",
        ];
        var work = RepositoryPaths.NewTempDirectory("srs-published");
        await using (var refused = ServerProcess.StartPublished(program, work, Path.Combine(work, "data"), settings))
        {
            Assert.Equal(2, await refused.WaitForExitAsync(Start));
            Assert.Contains("Storage:MigrateOnStart", refused.Output, StringComparison.Ordinal);
            Assert.Contains("未適用のマイグレーション", refused.Output, StringComparison.Ordinal);
        }

        // The upgrade: the register's bundle on the register and on the 除票用データベース (its schema made first), the staff store's.
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var schema = new NpgsqlCommand("CREATE SCHEMA IF NOT EXISTS srs_archive", connection);
            await schema.ExecuteNonQueryAsync();
        }
        var archive = new NpgsqlConnectionStringBuilder(database) { SearchPath = "srs_archive" }.ConnectionString;
        foreach (var (bundle, target) in new[] { ("register", database), ("register", archive), ("staff", database) })
        {
            var run = await ServerProcess.RunAsync(Path.Combine(output, "migrations", $"srs-migrate-postgresql-{bundle}"), ["--connection", target], TimeSpan.FromMinutes(2));
            Assert.True(run.ExitCode == 0, $"srs-migrate-postgresql-{bundle} failed ({run.ExitCode}): {run.Stdout}{run.Stderr}");
        }

        await using var server = ServerProcess.StartPublished(program, work, Path.Combine(work, "data"), settings);
        await server.WaitUntilServingAsync(Start);
        using var channel = GrpcChannel.ForAddress(server.Address);
        // Production: its own sign-in only; the demo staff were not asked for, so no one signs in here — the health check and an unauthenticated refusal show it serves.
        var unsigned = await Assert.ThrowsAsync<RpcException>(() => new TenantService.TenantServiceClient(channel).GetTenantAsync(new GetTenantRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, unsigned.StatusCode);
        // Reflection off, as the operations guide advises: the service is not there.
        // The refusal may come before the request is written or after: either way the call fails Unimplemented.
        var none = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var reflection = new Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
            await reflection.RequestStream.WriteAsync(new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = "" });
            await reflection.ResponseStream.MoveNext(CancellationToken.None);
        });
        Assert.Equal(StatusCode.Unimplemented, none.StatusCode);
    }

    /// <summary>The example environment file of the systemd unit names only settings the server has (a misspelt key would be ignored silently).</summary>
    [Fact]
    public void The_units_environment_file_names_only_real_settings()
    {
        var sections = new Dictionary<string, Type>
        {
            [ServerOptions.Section] = typeof(ServerOptions), [StorageOptions.Section] = typeof(StorageOptions), [AuthOptions.Section] = typeof(AuthOptions),
            [AuditOptions.Section] = typeof(AuditOptions), [TelemetryOptions.Section] = typeof(TelemetryOptions),
            ["Jobs"] = typeof(Server.Jobs.JobOptions), ["Logging"] = typeof(object), ["ASPNETCORE_ENVIRONMENT"] = typeof(object),
        };
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "deploy", "systemd", "srs-server.env"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            var name = line[..line.IndexOf('=', StringComparison.Ordinal)];
            var path = name.Split("__");
            Assert.True(sections.TryGetValue(path[0], out var type), $"{name}: no section {path[0]}");
            foreach (var part in path.Skip(1))
            {
                if (type == typeof(object))
                {
                    break;
                }
                var property = type!.GetProperty(part);
                Assert.True(property is not null, $"{name}: {type.Name} has no setting {part}");
                type = property!.PropertyType;
            }
        }
    }

    private sealed record Clerk(ResidentService.ResidentServiceClient Residents, RegistrationService.RegistrationServiceClient Registration, Metadata Headers, GrpcChannel Channel);

    private static async Task<Clerk> ClerkAsync(ServerProcess server)
    {
        var token = await ServerProcess.MintAsync(server.DataDirectory, "132136");
        var channel = GrpcChannel.ForAddress(server.Address);
        return new Clerk(new(channel), new(channel), Requests.Bearer(token), channel);
    }

    private static async Task<string> MoveInAsync(Clerk clerk, string given, string givenKana)
    {
        var request = Requests.MoveInToday("132136", RegisterDriver.Person("復元", given, "フクゲン", givenKana, 1985, 6, 7, Sex.Male, "世帯主"), 2,
            $"{Random.Shared.Next(1, 60)}番{Random.Shared.Next(1, 30)}号");
        return (await clerk.Registration.RecordMoveInAsync(request, clerk.Headers)).Residents[0].Name;
    }

    /// <summary>The libpq connection string of an Npgsql one (pg_dump and pg_restore take the former).</summary>
    private static string[] PgArguments(string? npgsql)
    {
        if (npgsql is null)
        {
            return [];
        }
        var b = new NpgsqlConnectionStringBuilder(npgsql);
        return ["--postgresql", $"host={b.Host} port={b.Port} user={b.Username} dbname={b.Database}"];
    }
}
