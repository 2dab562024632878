namespace WeDrawOS.Front.Sockets;

/// <summary>
/// Closes sockets with 4001 when their token's <c>exp</c> passes. One timer for the whole front, ticking once a
/// second over slots keyed by the second of expiry (a hashed timer wheel), instead of a timer per socket: an idle
/// socket costs one set entry here, and the front one timer tick a second however many sockets it holds.
/// </summary>
internal sealed class TokenExpiryWheel : IDisposable
{
    /// <summary>The <see cref="SocketConnection.ExpirySlot"/> of a socket the wheel does not hold.</summary>
    public const long NotWatched = long.MinValue;

    private readonly Lock _lock = new();
    private readonly Dictionary<long, HashSet<SocketConnection>> _slots = [];
    private readonly TimeProvider _time;
    private readonly ITimer _timer;

    // The first second whose slot has not been swept yet.
    private long _next;

    public TokenExpiryWheel(TimeProvider time)
    {
        _time = time;
        _next = Now();
        _timer = time.CreateTimer(static wheel => ((TokenExpiryWheel)wheel!).Sweep(), this, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Watches the socket's current token, replacing what was watched for it (a <c>refresh</c>).</summary>
    public void Watch(SocketConnection connection)
    {
        // exp is whole seconds: the token is expired from that second on.
        var slot = connection.Identity.ExpiresAt.ToUnixTimeSeconds();
        lock (_lock)
        {
            RemoveLocked(connection);
            if (slot >= _next)
            {
                if (!_slots.TryGetValue(slot, out var sockets))
                {
                    _slots[slot] = sockets = [];
                }

                sockets.Add(connection);
                connection.ExpirySlot = slot;
                return;
            }
        }

        // Already expired (accepted within the allowed clock skew): close at once, as the sweep would.
        Expire(connection);
    }

    /// <summary>Stops watching a socket that is going away.</summary>
    public void Forget(SocketConnection connection)
    {
        lock (_lock)
        {
            RemoveLocked(connection);
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Sweep()
    {
        var now = Now();
        List<SocketConnection>? expired = null;
        lock (_lock)
        {
            // Usually one slot; more after a stall, none if the clock went back.
            for (; _next <= now; _next++)
            {
                if (_slots.Remove(_next, out var sockets))
                {
                    expired ??= [];
                    foreach (var connection in sockets)
                    {
                        connection.ExpirySlot = NotWatched;
                        expired.Add(connection);
                    }
                }
            }
        }

        expired?.ForEach(Expire);
    }

    private void RemoveLocked(SocketConnection connection)
    {
        if (connection.ExpirySlot != NotWatched && _slots.TryGetValue(connection.ExpirySlot, out var sockets))
        {
            sockets.Remove(connection);
            if (sockets.Count == 0)
            {
                _slots.Remove(connection.ExpirySlot);
            }
        }

        connection.ExpirySlot = NotWatched;
    }

    private static void Expire(SocketConnection connection) =>
        connection.Close(CloseCodes.TokenExpired, "token expired / 令牌已过期", flush: true);

    private long Now() => _time.GetUtcNow().ToUnixTimeSeconds();
}
