namespace WeDrawOS.WebFront.Sockets;

/// <summary>A token bucket per connection: <c>burst</c> frames at once, refilled at <c>perSecond</c>. Used by the socket's receive loop only.</summary>
internal sealed class RateLimiter(int burst, int perSecond)
{
    private double _tokens = burst;
    private long _last = Environment.TickCount64;

    public bool TryTake()
    {
        var now = Environment.TickCount64;
        _tokens = Math.Min(burst, _tokens + ((now - _last) * perSecond / 1000.0));
        _last = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }
}
