namespace WeDrawOS.Front.Sockets;

/// <summary>
/// A token bucket: <c>burst</c> at once, refilled at <c>perSecond</c>. Not thread-safe: one socket's receive loop
/// uses its own, and <see cref="UserJoinRates"/> uses its buckets under its lock.
/// </summary>
internal sealed class RateLimiter(int burst, double perSecond)
{
    private double _tokens = burst;
    private long _last = Environment.TickCount64;

    /// <summary>True when the bucket has refilled completely: it is then no different from a new one.</summary>
    public bool IsFull
    {
        get
        {
            Refill();
            return _tokens >= burst;
        }
    }

    public bool TryTake()
    {
        Refill();
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }

    private void Refill()
    {
        var now = Environment.TickCount64;
        _tokens = Math.Min(burst, _tokens + ((now - _last) * perSecond / 1000.0));
        _last = now;
    }
}
