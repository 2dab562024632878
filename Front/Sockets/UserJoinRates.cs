using Microsoft.Extensions.Options;

namespace WeDrawOS.Front.Sockets;

/// <summary>
/// The <c>join</c> rate of each user on this front, over all its sockets: a bucket of <c>WS_JOIN_RATE_PER_MINUTE</c>
/// joins refilled evenly over a minute. Joining creates rooms (state in storage), so one user must not join thousands
/// in seconds. Counted per front, not cluster-wide: a user's sockets spread over n fronts get n times the rate, which
/// still bounds it, without a grain call per join. Buckets that have refilled are dropped, so memory follows the users
/// who joined in the last minute or so.
/// </summary>
internal sealed class UserJoinRates(IOptions<SocketOptions> options)
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, RateLimiter> _buckets = new(StringComparer.Ordinal);
    private long _nextSweep = Environment.TickCount64 + (long)SweepEvery.TotalMilliseconds;

    /// <summary>Takes one join of <paramref name="userId"/>'s budget; false when it is spent.</summary>
    public bool TryTake(string userId)
    {
        lock (_lock)
        {
            SweepIfDueLocked();
            if (!_buckets.TryGetValue(userId, out var bucket))
            {
                var perMinute = options.Value.JoinRatePerMinute;
                _buckets[userId] = bucket = new RateLimiter(perMinute, perMinute / 60.0);
            }

            return bucket.TryTake();
        }
    }

    private void SweepIfDueLocked()
    {
        var now = Environment.TickCount64;
        if (now < _nextSweep)
        {
            return;
        }

        _nextSweep = now + (long)SweepEvery.TotalMilliseconds;
        foreach (var (userId, bucket) in _buckets)
        {
            if (bucket.IsFull)
            {
                _buckets.Remove(userId);
            }
        }
    }
}
