using Orleans.Concurrency;
using Orleans.Streams;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Streams;

namespace WeDrawOS.Grains.Realtime;

/// <summary>Publishes broadcasts on the one cluster-wide broadcast stream; stateless, so any silo can take the call.</summary>
[StatelessWorker]
public sealed class BroadcastGrain : Grain, IBroadcastGrain
{
    public async Task<BroadcastMessage> Broadcast(string data)
    {
        var message = new BroadcastMessage(data, DateTimeOffset.UtcNow);
        await this.GetStreamProvider(StreamNames.Provider).GetStream<BroadcastMessage>(StreamNames.BroadcastStream).OnNextAsync(message);
        return message;
    }
}
