namespace WeDrawOS.Front.Sockets;

/// <summary>Counts the sockets a front has admitted, so that it never holds more than <c>WS_MAX_CONNECTIONS</c>.</summary>
internal sealed class SocketAdmission
{
    private int _reserved;

    /// <summary>Takes one of <paramref name="max"/> places for a socket about to be accepted; false when the front is full.</summary>
    public bool TryReserve(int max)
    {
        while (true)
        {
            var current = Volatile.Read(ref _reserved);
            if (current >= max)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _reserved, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void Release() => Interlocked.Decrement(ref _reserved);
}
