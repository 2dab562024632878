namespace WeDrawOS.Tests.Sms;

/// <summary>
/// A clock the test moves by hand (timers still run on real time): for expiry, windows and circuits. It starts at
/// the real time, because the provider stubs refuse signed requests with a stale timestamp, as the providers do.
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UtcNow;
    private readonly Lock _lock = new();

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            _now += by;
        }
    }
}
