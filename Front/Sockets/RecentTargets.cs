namespace WeDrawOS.Front.Sockets;

/// <summary>
/// The last few rooms (outside its joined ones) and users one socket named in a frame. Naming a room or user brings
/// its grain to life, and a <c>send</c> creates its room or inbox in storage, so a name the socket has not used lately
/// takes one of the user's joins (<see cref="UserJoinRates"/>); names kept here are free again, so a client that keeps
/// talking to the same few pays once. Not thread-safe: one socket's receive loop owns it.
/// </summary>
internal sealed class RecentTargets
{
    private const int Capacity = 8;

    // Allocated on first use: most sockets only ever name the rooms they joined.
    private SendTarget[]? _targets;
    private int _next;

    public bool Contains(SendTarget target) => _targets is not null && Array.IndexOf(_targets, target) >= 0;

    /// <summary>Remembers <paramref name="target"/> in place of the one remembered longest.</summary>
    public void Add(SendTarget target)
    {
        _targets ??= new SendTarget[Capacity];
        _targets[_next] = target;
        _next = (_next + 1) % Capacity;
    }
}
