using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;
using WeDrawOS.Front.Auth;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Services.Bridge;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Realtime;

namespace WeDrawOS.Tests.Bridge;

/// <summary>Messages that a service outside the cluster publishes on Redis reach WebSocket clients.</summary>
[Collection(SharedRedisCollection.Name)]
public sealed class RedisBridgeTests(SharedRedis redis)
{
    [Fact]
    public async Task Published_messages_reach_a_room_a_user_and_everyone()
    {
        var channel = "bridge-" + Guid.NewGuid().ToString("N")[..8];
        var settings = RealtimeFront.Settings(("REDIS_PORT", redis.Port.ToString(CultureInfo.InvariantCulture)), ("CACHE_BRIDGE_CHANNELS", channel));
        await using var front = await TestHost.StartFrontAsync(settings);
        await using var publisher = await ConnectionMultiplexer.ConnectAsync($"{redis.Host}:{redis.Port}");
        await WaitForSubscribersAsync(publisher, channel, 1);
        // An agent: support-7 is customer 7's private conversation (ROOM_PRIVATE_PREFIXES).
        await using var alice = await front.ConnectAsync("alice", UserIdentity.Agent);
        await using var bob = await front.ConnectAsync("bob");
        await alice.JoinAsync("support-7");

        await Publish(publisher, channel, "not json at all");
        await Publish(publisher, channel, """{"type":"ticket_updated","target":"room","roomId":"support-7","content":"工单已更新"}""");
        var roomMessage = await alice.NextAsync("message");
        Assert.Equal("support-7", roomMessage.GetProperty("room").GetString());
        Assert.Equal("system:" + channel, roomMessage.GetProperty("from").GetString());
        Assert.Equal("ticket_updated", roomMessage.GetProperty("data").GetProperty("type").GetString());
        Assert.Equal("工单已更新", roomMessage.GetProperty("data").GetProperty("content").GetString());

        await Publish(publisher, channel, """{"type":"order_paid","target":"user","userId":"bob","data":{"orderId":42}}""");
        var direct = await bob.NextAsync("message");
        Assert.False(direct.TryGetProperty("room", out var room) && room.ValueKind != JsonValueKind.Null);
        Assert.Equal(42, direct.GetProperty("data").GetProperty("data").GetProperty("orderId").GetInt32());

        // The original service's shape: { type, content }, no target, is a broadcast.
        await Publish(publisher, channel, """{"type":"notice","content":"系统维护 / maintenance"}""");
        foreach (var client in new[] { alice, bob })
        {
            var broadcast = await client.NextAsync("broadcast");
            Assert.Equal("系统维护 / maintenance", broadcast.GetProperty("data").GetProperty("content").GetString());
        }
    }

    [Fact]
    public async Task Each_message_enters_the_cluster_once_with_two_silos_subscribed()
    {
        var clusterId = "bridge-" + Guid.NewGuid().ToString("N")[..8];
        var channel = clusterId;
        Dictionary<string, string> Member()
        {
            var member = TestHost.ClusterSettings(redis, clusterId);
            member["CACHE_BRIDGE_CHANNELS"] = channel;
            member["API_KEY"] = RealtimeFront.ApiKey;
            return member;
        }

        await using var siloA = await TestHost.StartSiloAsync(Member());
        await using var siloB = await TestHost.StartSiloAsync(Member());
        await using var front = await TestHost.StartFrontAsync(Member());
        await using var publisher = await ConnectionMultiplexer.ConnectAsync($"{redis.Host}:{redis.Port}");
        await WaitForSubscribersAsync(publisher, channel, 2);
        var bridges = new[] { siloA, siloB }.Select(s => s.GetRequiredService<RedisRealtimeBridge>()).ToArray();
        await Eventually.TrueAsync(() => Task.FromResult(bridges.Count(b => b.IsLeader) == 1));
        await using var watcher = await front.ConnectAsync("watcher");
        await watcher.JoinAsync("ops");

        const int count = 10;
        for (var i = 0; i < count; i++)
        {
            await Publish(publisher, channel, $$"""{"type":"tick","target":"room","roomId":"ops","data":{{i}}}""");
        }

        for (var i = 0; i < count; i++)
        {
            Assert.Equal(i, (await watcher.NextAsync("message")).GetProperty("data").GetProperty("data").GetInt32());
        }

        await Eventually.TrueAsync(() => Task.FromResult(bridges.All(b => b.Received == count)));
        Assert.Equal(count, bridges.Sum(b => b.Forwarded));
        var history = await front.GetRequiredService<IClusterClient>().GetGrain<IRoomGrain>("ops").History(PageRequest.Before(null, 100, int.MaxValue));
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), history.Messages.Select(m => m.Seq));
    }

    private static Task Publish(ConnectionMultiplexer publisher, string channel, string payload) =>
        publisher.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), payload);

    private static Task WaitForSubscribersAsync(ConnectionMultiplexer publisher, string channel, int count) =>
        Eventually.TrueAsync(async () =>
            (long)((RedisResult[])(await publisher.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", channel))!)[1] >= count);
}
