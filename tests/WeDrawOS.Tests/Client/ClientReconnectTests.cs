using WeDrawOS.Client;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Realtime;

namespace WeDrawOS.Tests.Client;

/// <summary>A service using the client library in cluster mode while every silo of the cluster is restarted in turn.</summary>
[Collection(SharedRedisCollection.Name)]
public sealed class ClientReconnectTests(SharedRedis redis)
{
    [Fact]
    public async Task Calls_and_the_events_subscription_work_again_after_a_rolling_restart_of_the_silos()
    {
        await using var cluster = await TwoSiloCluster.StartAsync(redis, "client-rolling");
        // A front in cluster mode is an Orleans client with the library's configuration (UseWeDrawOSClient).
        await using var service = await cluster.StartFrontAsync();
        var client = new WeDrawOSClient(service.GetRequiredService<IClusterClient>());
        const string room = "client-rolling";
        var arrived = new Dictionary<string, TaskCompletionSource>();
        TaskCompletionSource Arrival(string data)
        {
            lock (arrived)
            {
                return arrived.TryGetValue(data, out var tcs) ? tcs : arrived[data] = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        await using var subscription = await client.SubscribeAsync(e =>
        {
            if (e.Message is { Room: room } message)
            {
                Arrival(message.Data!).TrySetResult();
            }

            return Task.CompletedTask;
        });

        await client.PostToRoomAsync(room, "\"before\"", clientId: "before");
        await Arrival("\"before\"").Task.WaitAsync(WsClient.Timeout);

        await cluster.RestartAsync(0);
        await cluster.RestartAsync(1);

        // Both silos the client knew are gone: it reaches the new ones, and the subscription it made still delivers.
        SendResult? after = null;
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                after = await client.PostToRoomAsync(room, "\"after\"", clientId: "after");
                return true;
            }
            catch (Exception e) when (e is not ArgumentException)
            {
                return false;
            }
        }, what: "a post accepted after the restarts");
        Assert.Equal(2, after!.Seq);
        await Arrival("\"after\"").Task.WaitAsync(WsClient.Timeout);
    }
}
