namespace WeDrawOS.Grains.Rooms;

/// <summary>
/// Lets at most one <c>typing</c> notice per user through per <see cref="Interval"/>, so that a client sending one per
/// keystroke costs the room's members one frame a second. Kept in memory only: typing is ephemeral.
/// </summary>
internal sealed class TypingThrottle(TimeProvider time)
{
    /// <summary>The shortest time between two notices of the same user that are passed on.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    // Entries older than the interval are dropped once there are this many, so the map holds about one second's typists.
    private const int PruneAbove = 64;

    private readonly Dictionary<string, DateTimeOffset> _last = new(StringComparer.Ordinal);

    /// <summary>True when the user's notice is to be passed on (its last one passed at least <see cref="Interval"/> ago).</summary>
    public bool TryPass(string userId)
    {
        var now = time.GetUtcNow();
        if (_last.TryGetValue(userId, out var last) && now - last < Interval)
        {
            return false;
        }

        if (_last.Count >= PruneAbove)
        {
            foreach (var stale in _last.Where(e => now - e.Value >= Interval).Select(e => e.Key).ToList())
            {
                _last.Remove(stale);
            }
        }

        _last[userId] = now;
        return true;
    }
}
