using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using SharedResidentSystem.Core.Protection;
using SharedResidentSystem.Core.Registration;
using SharedResidentSystem.Core.Residents;
using SharedResidentSystem.Core.Security;
using SharedResidentSystem.Core.Storage;
using SharedResidentSystem.Core.Tenancy;
using SharedResidentSystem.Storage.Sqlite;
using SharedResidentSystem.Testing;

namespace SharedResidentSystem.Core.Tests.Registration;

/// <summary>
/// The register's domain without a server: <see cref="RegisterService"/> over the SQLite store in
/// a temporary file, the demo cities' configuration, the clock fixed at 2026-11-26 10:00 (Japan).
/// Each 異動 runs in its own transaction, as the pipeline runs it.
/// </summary>
public sealed class RegisterHarness : IAsyncLifetime, IDisposable
{
    public const string City = "132136";

    /// <summary>The day the tests' people moved in, and the day they notified it.</summary>
    public static readonly DateOnly MovedIn = new(2026, 11, 20);
    public static readonly DateOnly Notified = new(2026, 11, 25);

    /// <summary>Where the tests' people came from.</summary>
    public static readonly AddressValue Osaka = new("大阪府", "大阪市北区", "", 0, "", "", "", "", "梅田2-2-2", "");

    private readonly string _directory = RepositoryPaths.NewTempDirectory("srs-domain");
    private readonly SqliteStorageProvider _provider = new();
    private DbContextOptions<SrsDbContext> _options = null!;
    private TenantDirectory _tenants = null!;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 26, 1, 0, 0, TimeSpan.Zero));

    public Caller Clerk { get; } = new(City, "clerk-domain", "T001", new HashSet<string> { Roles.Clerk });

    public async Task InitializeAsync()
    {
        var builder = new DbContextOptionsBuilder<SrsDbContext>();
        _provider.Configure(builder, $"Data Source={Path.Combine(_directory, "register.db")}");
        _options = builder.Options;
        await using var db = new SrsDbContext(_options, new CallerContext());
        await db.Database.MigrateAsync();
        _tenants = new TenantDirectory(TenantCatalog.LoadDirectory(RepositoryPaths.TenantsDirectory).Select(s => s.Definition), Time);
    }

    /// <summary>Runs one 異動 (or any work of the register) for the clerk, committed or refused whole.</summary>
    public Task<T> RunAsync<T>(Func<RegisterService, Task<T>> work) => RunAsync((register, _) => work(register));

    /// <summary>The same, with the context the work writes through (to save part of it early).</summary>
    public async Task<T> RunAsync<T>(Func<RegisterService, SrsDbContext, Task<T>> work)
    {
        var callers = new CallerContext();
        callers.Set(Clerk);
        await using var db = new SrsDbContext(_options, callers);
        var register = new RegisterService(db, new NumberIssuer(db), new ProtectionGate(db, Time), new ResidentCodes(db, Time), _tenants, Time);
        return await new RegisterTransaction(db, _provider).RunAsync(_ => work(register, db), CancellationToken.None);
    }

    /// <summary>Reads the clerk's city as stored (to show what a refused 異動 left: nothing).</summary>
    public async Task<T> ReadAsync<T>(Func<SrsDbContext, Task<T>> read)
    {
        var callers = new CallerContext();
        callers.Set(Clerk);
        await using var db = new SrsDbContext(_options, callers);
        return await read(db);
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _provider.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        RepositoryPaths.Remove(_directory);
    }

    /// <summary>A person entering the register with every item the rules ask for, under a reading no other test uses.</summary>
    public static PersonEntryValue Person(string given, int year, string relationship, SexValue sex = SexValue.Male) => new(
        new PersonNameValue("山田", given, Readings.UniqueKana(), "タロウ", true), new PartialDateValue(year, 4, 1), sex, relationship, ResidentKind.Japanese,
        "", "", "", "", new DomicileValue("東京都千代田区千代田1番", "山田　一郎"), "", "", EntitlementsValue.None, ForeignValue.None);

    public static AddressValue Address(string banchi = "2番3号") => new("", "", "本町", 1, banchi, "", "", "", "", "");

    public static IdouHeader Header(string field, DateOnly? date, DateOnly? notified, params string[] acknowledged) =>
        new(field, date, notified, new NotifierValue("山田　一郎", "本人"), acknowledged);
}
