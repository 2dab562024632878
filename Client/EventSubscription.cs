using Orleans.Streams;
using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Client;

/// <summary>A subscription to the events stream; disposing it unsubscribes.</summary>
internal sealed class EventSubscription(StreamSubscriptionHandle<RealtimeEvent> handle) : IAsyncDisposable
{
    private int _disposed;

    /// <summary>
    /// Unsubscribes once: later calls do nothing, as <see cref="IAsyncDisposable"/> requires (Orleans' handle throws when
    /// used twice). A failed unsubscribe (the cluster not reachable) may be retried, so the subscription is not left behind.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await handle.UnsubscribeAsync();
        }
        catch
        {
            Volatile.Write(ref _disposed, 0);
            throw;
        }
    }
}
