using Orleans.Streams;
using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Client;

/// <summary>A subscription to the events stream; disposing it unsubscribes.</summary>
internal sealed class EventSubscription(StreamSubscriptionHandle<RealtimeEvent> handle) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await handle.UnsubscribeAsync();
}
