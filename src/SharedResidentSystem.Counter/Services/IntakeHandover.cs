using SharedResidentSystem.Contracts.Registration.V1;

namespace SharedResidentSystem.Counter.Services;

/// <summary>
/// What a 10.8 CSV gave, carried from the CSV取込 screen to the form it fills: the form takes it
/// once, when it opens for that kind; nothing of it is recorded until the clerk's 登録.
/// </summary>
public sealed class IntakeHandover
{
    private ReadIntakeCsvResponse? _pending;

    public void Give(ReadIntakeCsvResponse read) => _pending = read;

    /// <summary>The data read, when it is of <paramref name="kind"/>; it is then no longer held.</summary>
    public ReadIntakeCsvResponse? Take(ReadIntakeCsvResponse.PrefilledOneofCase kind)
    {
        if (_pending?.PrefilledCase != kind)
        {
            return null;
        }
        var read = _pending;
        _pending = null;
        return read;
    }
}
