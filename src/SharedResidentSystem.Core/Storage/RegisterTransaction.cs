using Microsoft.EntityFrameworkCore;
using Polly;
using Polly.Retry;

namespace SharedResidentSystem.Core.Storage;

/// <summary>
/// Runs one unit of work in one database transaction, retried as a whole (with a clean
/// change tracker) when the provider says the fault was transient. The work must read
/// everything it decides on inside the delegate, so a retry decides afresh.
/// </summary>
public sealed class RegisterTransaction
{
    private readonly SrsDbContext _db;
    private readonly IStorageProvider _provider;
    private readonly ResiliencePipeline _pipeline;
    private readonly Link.LinkSignal? _committed;

    public RegisterTransaction(SrsDbContext db, IStorageProvider provider, Link.LinkSignal? committed = null)
    {
        _db = db;
        _provider = provider;
        _committed = committed;
        // Retry delays are real waiting, not register time: they run on the system clock even
        // where tests fake the register's "now". Built once per provider (a pipeline is
        // stateless and thread-safe): building one per call showed in the profile of GetResident.
        _pipeline = Pipelines.GetValue(provider, p => BuildPipeline(p, TimeProvider.System));
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IStorageProvider, ResiliencePipeline> Pipelines = [];

    public SrsDbContext Db => _db;

    public static ResiliencePipeline BuildPipeline(IStorageProvider provider, TimeProvider time) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is DbUpdateConcurrencyException || provider.IsTransient(e)),
                MaxRetryAttempts = 10,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(20),
                MaxDelay = TimeSpan.FromSeconds(1),
            })
            .Build();

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        return await _pipeline.ExecuteAsync(async token =>
        {
            _db.ChangeTracker.Clear();
            using var turn = await _provider.EnterWriteAsync(token);
            await using var transaction = await _db.Database.BeginTransactionAsync(token);
            try
            {
                var result = await work(token);
                await _db.SaveChangesAsync(token);
                await transaction.CommitAsync(token);
                if (_db.CurrentTenant is { } tenant)
                {
                    _committed?.Committed(tenant);
                }
                return result;
            }
            finally
            {
                _db.ChangeTracker.Clear();
            }
        }, cancellationToken);
    }
}
