using System.Net;
using System.Net.Http.Json;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// Cluster mode on a real Redis (two silo processes, two fronts): every receiver gets every acked message of its room,
/// once and in seq order, under overload and through a rolling restart of the silos.
/// </summary>
[Collection(SharedRedisCollection.Name)]
public sealed class ClusterDeliveryTests(SharedRedis redis, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_receiver_gets_every_acked_seq_once_and_in_order_when_a_room_is_overloaded_across_two_fronts()
    {
        await using var cluster = await TwoSiloCluster.StartAsync(redis, "rt-overload");
        await using var frontA = await cluster.StartFrontAsync();
        await using var frontB = await cluster.StartFrontAsync();
        const string room = "hot";
        var receivers = new List<(WsClient Client, long JoinedAt, string Name)>();
        foreach (var (front, name) in new[] { (frontA, "a"), (frontB, "b") }.SelectMany(f => Enumerable.Range(0, 3).Select(n => (f.Item1, f.Item2 + n))))
        {
            var client = await front.ConnectAsync("receiver-" + name);
            receivers.Add((client, MessageTranscript.JoinedSeq(await client.JoinAsync(room)), "receiver-" + name));
        }

        // Eight senders on the first front send all their messages at once: far more than the room takes at a time.
        var senders = new List<(WsClient Client, MessageSender Sender)>();
        for (var n = 0; n < 8; n++)
        {
            var client = await frontA.ConnectAsync("sender-" + n);
            senders.Add((client, MessageSender.ToRoom(client, room, "s" + n)));
        }

        await Task.WhenAll(senders.Select(s => s.Sender.SendBurstAsync(500)));
        var acked = senders.SelectMany(s => s.Sender.Acked.Values).ToList();
        Assert.Equal(8 * 500, acked.Count);
        Assert.Equal(acked.Count, acked.Distinct().Count());

        var received = 0;
        foreach (var (client, joinedAt, name) in receivers)
        {
            var transcript = await MessageTranscript.ReadRoomAsync(client, room, joinedAt, acked.Max());
            transcript.AssertComplete(joinedAt, acked, name);
            received += transcript.Seqs.Count;
        }

        output.WriteLine($"overload: {acked.Count} acked, {receivers.Count} receivers (3 per front), {received} of {acked.Count * receivers.Count} deliveries, 0 missing, 0 out of order");

        await DisposeAllAsync(receivers.Select(r => r.Client).Concat(senders.Select(s => s.Client)));
    }

    [Fact]
    public async Task Every_receiver_gets_every_acked_seq_through_a_rolling_restart_of_the_silos()
    {
        // A history of 500 messages holds about 10 s of this traffic per room: a room that moved and pushed to nobody
        // until the fronts' next lease renewal (15 s) would leave gaps no longer in its history, and its receivers would
        // get resync frames. Registrations survive the move, so none is expected.
        await using var cluster = await TwoSiloCluster.StartAsync(redis, "rt-rolling", ("ROOM_HISTORY_SIZE", "500"), ("INBOX_SIZE", "500"));
        // Leases renewed only every minute: a registration lost with a move would not come back during the test.
        await using var frontA = await cluster.StartFrontAsync(("WS_PING_INTERVAL", "120000"));
        await using var frontB = await cluster.StartFrontAsync(("WS_PING_INTERVAL", "120000"));
        var (quietReceiver, quietJoined) = await JoinAsync(frontB, "quiet-receiver", "quiet");
        var rooms = Enumerable.Range(0, 4).Select(n => "rolling-" + n).ToArray();
        var receivers = new List<(WsClient Client, string Room, long JoinedAt, string Name)>();
        foreach (var room in rooms)
        {
            foreach (var (front, name) in new[] { (frontA, "a"), (frontB, "b") })
            {
                var client = await front.ConnectAsync($"receiver-{name}-{room}");
                receivers.Add((client, room, MessageTranscript.JoinedSeq(await client.JoinAsync(room)), $"receiver-{name} of {room}"));
            }
        }

        var (inboxReceiver, welcome) = await WsClient.ConnectWelcomedAsync(frontB.BaseAddress, frontB.Token("dm-receiver"));

        // One sender per room, on both fronts, and one sending direct messages, while each silo in turn is stopped with
        // SIGTERM and started again. The last room's sender writes bursts without waiting for acks, so its front posts
        // them to the room in batches (IRoomGrain.PostMany) that a stopping silo can cut off; the others send one at a time.
        using var stop = new CancellationTokenSource();
        var senders = new List<(WsClient Client, MessageSender Sender)>();
        for (var n = 0; n < rooms.Length; n++)
        {
            var client = await (n % 2 == 0 ? frontA : frontB).ConnectAsync("sender-" + n);
            senders.Add((client, MessageSender.ToRoom(client, rooms[n], "s" + n)));
        }

        var directClient = await frontA.ConnectAsync("dm-sender");
        senders.Add((directClient, MessageSender.ToUser(directClient, "dm-receiver", "d")));
        var traffic = senders.Select((s, n) => Task.Run(() => n == rooms.Length - 1
            ? s.Sender.SendBurstsAsync(10, TimeSpan.FromMilliseconds(200), stop.Token)
            : s.Sender.SendPacedAsync(TimeSpan.FromMilliseconds(20), stop.Token))).ToList();
        await WhileSendersAckAsync(senders.Select(s => s.Sender));

        // The silo of the quiet room first: the room moves while nothing is posted to it, and right after, a burst
        // larger than its history must reach its receiver live.
        var management = frontA.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        var quietHome = cluster.IndexOf((await management.GetActivationAddress(frontA.GetRequiredService<IClusterClient>().GetGrain<IRoomGrain>("quiet")))!);
        Assert.InRange(quietHome, 0, 1);
        foreach (var silo in new[] { quietHome, 1 - quietHome })
        {
            await cluster.RestartAsync(silo);
            if (silo == quietHome)
            {
                await PostBurstAsync(frontA, "quiet", 600);
            }

            await WhileSendersAckAsync(senders.Select(s => s.Sender));
        }

        await stop.CancelAsync();
        await Task.WhenAll(traffic);
        var (owed, received) = (0, 0);
        foreach (var (client, room, joinedAt, name) in receivers)
        {
            var acked = senders[Array.IndexOf(rooms, room)].Sender.Acked.Values.ToList();
            var transcript = await MessageTranscript.ReadRoomAsync(client, room, joinedAt, acked.Max());
            transcript.AssertComplete(joinedAt, acked, name);
            Assert.Equal(0, transcript.Resyncs);
            (owed, received) = (owed + acked.Count, received + transcript.Seqs.Count);
        }

        var quiet = await MessageTranscript.ReadRoomAsync(quietReceiver, "quiet", quietJoined, quietJoined + 600);
        quiet.AssertComplete(quietJoined, [], "quiet-receiver");
        Assert.Equal(0, quiet.Resyncs);

        var direct = senders[^1].Sender.Acked.Values.ToList();
        var inboxStart = welcome.GetProperty("inboxSeq").GetInt64();
        var inbox = await MessageTranscript.ReadInboxAsync(inboxReceiver, "dm-receiver", inboxStart, direct.Max());
        inbox.AssertComplete(inboxStart, direct, "dm-receiver");
        Assert.Equal(0, inbox.Resyncs);
        output.WriteLine($"rolling restart: {senders.Take(rooms.Length).Sum(s => s.Sender.Acked.Count)} room messages acked in {rooms.Length} rooms, {received} of {owed} deliveries to " +
            $"{receivers.Count} receivers; the quiet room's 600-message burst after its move: {quiet.Seqs.Count} of 600; " +
            $"{direct.Count} direct messages acked, {inbox.Seqs.Count} received; 0 missing, 0 resyncs");

        await DisposeAllAsync(receivers.Select(r => r.Client).Concat(senders.Select(s => s.Client)).Append(inboxReceiver).Append(quietReceiver));
    }

    private static async Task<(WsClient Client, long JoinedAt)> JoinAsync(TestHost front, string userId, string room)
    {
        var client = await front.ConnectAsync(userId);
        return (client, MessageTranscript.JoinedSeq(await client.JoinAsync(room)));
    }

    /// <summary>Posts <paramref name="count"/> messages through the HTTP API, one after the other, each until it is accepted.</summary>
    private static async Task PostBurstAsync(TestHost front, string room, int count)
    {
        using var api = new HttpClient { BaseAddress = front.BaseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", RealtimeFront.ApiKey);
        for (var n = 0; n < count; n++)
        {
            await Eventually.TrueAsync(async () => (await api.PostAsJsonAsync($"/api/rooms/{room}/messages", new { id = "q" + n, data = n })).StatusCode == HttpStatusCode.Accepted);
        }
    }

    /// <summary>Waits until every sender got another 20 acks: traffic flows (again).</summary>
    private static async Task WhileSendersAckAsync(IEnumerable<MessageSender> senders)
    {
        var targets = senders.Select(s => (Sender: s, Target: s.Acked.Count + 20)).ToList();
        await Eventually.TrueAsync(() => Task.FromResult(targets.All(t => t.Sender.Acked.Count >= t.Target)), TimeSpan.FromSeconds(90), "acks flowing");
    }

    private static async Task DisposeAllAsync(IEnumerable<WsClient> clients)
    {
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }
}
