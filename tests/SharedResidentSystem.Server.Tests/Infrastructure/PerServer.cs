namespace SharedResidentSystem.Server.Tests.Infrastructure;

/// <summary>
/// What a test class makes once for each server it runs on (its tests share it; the class on
/// SQLite and the class on PostgreSQL each have their own): made by the first test that asks.
/// </summary>
public sealed class PerServer<T> : IDisposable
{
    private readonly Dictionary<ServerFixture, T> _made = [];
    private readonly SemaphoreSlim _once = new(1, 1);

    public async Task<T> GetAsync(ServerFixture server, Func<Task<T>> make)
    {
        await _once.WaitAsync();
        try
        {
            if (!_made.TryGetValue(server, out var made))
            {
                _made[server] = made = await make();
            }
            return made;
        }
        finally
        {
            _once.Release();
        }
    }

    public void Dispose() => _once.Dispose();
}
