using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using WeDrawOS.Front.Auth;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Realtime;

/// <summary>Rooms over real sockets on an embedded front: chat, order, acks, duplicates, recovery, access.</summary>
public sealed class RoomMessagingTests : IAsyncLifetime
{
    private TestHost _front = null!;

    public async Task InitializeAsync() => _front = await TestHost.StartFrontAsync(RealtimeFront.Settings(("ROOM_HISTORY_SIZE", "20")));

    public async Task DisposeAsync() => await _front.DisposeAsync();

    [Fact]
    public async Task Two_users_chat_in_a_room()
    {
        await using var alice = await _front.ConnectAsync("alice");
        await using var bob = await _front.ConnectAsync("bob");

        var aliceJoined = await alice.JoinAsync("lobby");
        Assert.Equal("joined", aliceJoined.GetProperty("type").GetString());
        Assert.Equal(0, aliceJoined.GetProperty("seq").GetInt64());
        await bob.JoinAsync("lobby");
        var joinedEvent = await alice.NextAsync("event", e => e.GetProperty("userId").GetString() == "bob");
        Assert.Equal("user_joined", joinedEvent.GetProperty("event").GetString());
        Assert.Equal("bob", joinedEvent.GetProperty("userId").GetString());

        await alice.SendAsync(new { type = "send", id = "m1", room = "lobby", data = new { text = "你好 bob" } });
        var ack = await alice.NextAsync("ack");
        Assert.Equal("m1", ack.GetProperty("id").GetString());
        Assert.Equal(1, ack.GetProperty("seq").GetInt64());
        Assert.False(ack.GetProperty("duplicate").GetBoolean());

        var message = await bob.NextAsync("message");
        Assert.Equal("lobby", message.GetProperty("room").GetString());
        Assert.Equal(1, message.GetProperty("seq").GetInt64());
        Assert.Equal("alice", message.GetProperty("from").GetString());
        Assert.Equal("m1", message.GetProperty("id").GetString());
        Assert.Equal("你好 bob", message.GetProperty("data").GetProperty("text").GetString());
        Assert.True(DateTimeOffset.TryParse(message.GetProperty("ts").GetString(), out _));

        await bob.SendAsync(new { type = "send", id = "r1", room = "lobby", data = "hi alice" });
        Assert.Equal("hi alice", (await alice.NextAsync("message")).GetProperty("data").GetString());
        await bob.NextAsync("ack");

        // The sender got an ack for m1 and never its own message back.
        Assert.DoesNotContain(alice.Unread("message"), m => m.GetProperty("id").GetString() == "m1");
    }

    [Fact]
    public async Task Concurrent_senders_are_seen_by_everyone_in_one_gap_free_order()
    {
        const int perSender = 30;
        var senders = new List<WsClient>();
        for (var i = 0; i < 3; i++)
        {
            var sender = await _front.ConnectAsync("sender" + i);
            await sender.JoinAsync("race");
            senders.Add(sender);
        }

        await using var watcher = await _front.ConnectAsync("watcher");
        await watcher.JoinAsync("race");

        await Task.WhenAll(senders.Select((s, i) => Task.Run(async () =>
        {
            for (var n = 0; n < perSender; n++)
            {
                await s.SendAsync(new { type = "send", id = $"s{i}-{n}", room = "race", data = n });
            }
        })));

        var seen = new List<long>();
        for (var n = 0; n < perSender * senders.Count; n++)
        {
            seen.Add((await watcher.NextAsync("message")).GetProperty("seq").GetInt64());
        }

        Assert.Equal(Enumerable.Range(1, perSender * senders.Count).Select(n => (long)n), seen);
        foreach (var sender in senders)
        {
            // Each sender sees the others' messages in seq order too.
            var others = new List<long>();
            for (var n = 0; n < perSender * (senders.Count - 1); n++)
            {
                others.Add((await sender.NextAsync("message")).GetProperty("seq").GetInt64());
            }

            Assert.Equal(others.Order(), others);
            await sender.DisposeAsync();
        }
    }

    [Fact]
    public async Task Resent_id_is_acked_as_duplicate_and_delivered_once()
    {
        await using var alice = await _front.ConnectAsync("alice");
        await using var bob = await _front.ConnectAsync("bob");
        await alice.JoinAsync("dup");
        await bob.JoinAsync("dup");

        await alice.SendAsync(new { type = "send", id = "same", room = "dup", data = 1 });
        var first = await alice.NextAsync("ack");
        await alice.SendAsync(new { type = "send", id = "same", room = "dup", data = 1 });
        var second = await alice.NextAsync("ack");
        await alice.SendAsync(new { type = "send", id = "next", room = "dup", data = 2 });
        await alice.NextAsync("ack");

        Assert.False(first.GetProperty("duplicate").GetBoolean());
        Assert.True(second.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.GetProperty("seq").GetInt64(), second.GetProperty("seq").GetInt64());
        Assert.Equal("same", (await bob.NextAsync("message")).GetProperty("id").GetString());
        Assert.Equal("next", (await bob.NextAsync("message")).GetProperty("id").GetString());
        Assert.Empty(bob.Unread("message"));
    }

    [Fact]
    public async Task Reconnecting_with_since_recovers_every_missed_message()
    {
        await using var alice = await _front.ConnectAsync("alice");
        await alice.JoinAsync("recover");
        var bob = await _front.ConnectAsync("bob");
        await bob.JoinAsync("recover");
        await alice.SendAsync(new { type = "send", id = "a1", room = "recover", data = "one" });
        Assert.Equal(1, (await bob.NextAsync("message")).GetProperty("seq").GetInt64());
        await bob.CloseAsync();
        await bob.DisposeAsync();

        for (var n = 2; n <= 5; n++)
        {
            await alice.SendAsync(new { type = "send", id = "a" + n, room = "recover", data = n });
            await alice.NextAsync("ack");
        }

        await using var back = await _front.ConnectAsync("bob");
        var joined = await back.JoinAsync("recover", since: 1);

        Assert.True(joined.GetProperty("recovered").GetBoolean());
        Assert.Equal(5, joined.GetProperty("seq").GetInt64());
        Assert.Equal([2L, 3, 4, 5], joined.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
        Assert.Equal("alice", joined.GetProperty("messages")[0].GetProperty("from").GetString());
    }

    [Fact]
    public async Task Recovery_beyond_the_stored_history_says_recovered_false()
    {
        await using var alice = await _front.ConnectAsync("alice");
        for (var n = 1; n <= 25; n++)
        {
            await alice.SendAsync(new { type = "send", id = "h" + n, room = "long", data = n });
            await alice.NextAsync("ack");
        }

        var joined = await alice.JoinAsync("long", since: 2);

        Assert.False(joined.GetProperty("recovered").GetBoolean());
        Assert.Equal(20, joined.GetProperty("messages").GetArrayLength());
        Assert.Equal(6, joined.GetProperty("messages")[0].GetProperty("seq").GetInt64());

        await alice.SendAsync(new { type = "history", room = "long", before = 10, limit = 3 });
        var history = await alice.NextAsync("history");
        Assert.Equal([7L, 8, 9], history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task Long_history_stays_bounded_gap_free_and_remembers_client_ids()
    {
        using var api = RealtimeFront.ApiClient(_front.BaseAddress);
        for (var n = 1; n <= 150; n++)
        {
            var response = await api.PostAsync("/api/rooms/long-run/messages", JsonContent(new { data = n, from = "svc", id = "L" + n }));
            Assert.Equal(n, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("seq").GetInt64());
        }

        var history = JsonDocument.Parse(await api.GetStringAsync("/api/rooms/long-run/history?limit=200")).RootElement.GetProperty("messages");
        Assert.Equal(Enumerable.Range(131, 20).Select(n => (long)n), history.EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
        Assert.Equal(Enumerable.Range(131, 20), history.EnumerateArray().Select(m => m.GetProperty("data").GetInt32()));

        foreach (var (id, seq) in new[] { ("L5", 5L), ("L100", 100L), ("L150", 150L) })
        {
            var again = JsonDocument.Parse(await (await api.PostAsync("/api/rooms/long-run/messages", JsonContent(new { data = 0, from = "svc", id }))).Content.ReadAsStringAsync()).RootElement;
            Assert.True(again.GetProperty("duplicate").GetBoolean());
            Assert.Equal(seq, again.GetProperty("seq").GetInt64());
        }

        await using var alice = await _front.ConnectAsync("alice");
        var joined = await alice.JoinAsync("long-run", since: 140);
        Assert.True(joined.GetProperty("recovered").GetBoolean());
        Assert.Equal(Enumerable.Range(141, 10).Select(n => (long)n), joined.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()));
    }

    [Fact]
    public async Task Client_ids_older_than_the_dedup_window_are_forgotten_at_a_fold_and_newer_ones_remembered()
    {
        // 150 messages, two folds of 64: the second leaves 128 ids in a window of 100, so the oldest 28 are forgotten.
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings(("DEDUP_WINDOW", "100")));
        using var api = RealtimeFront.ApiClient(front.BaseAddress);
        async Task<(long Seq, bool Duplicate)> PostAsync(string id)
        {
            var response = await api.PostAsync("/api/rooms/window/messages", JsonContent(new { data = 1, from = "svc", id }));
            var ack = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            return (ack.GetProperty("seq").GetInt64(), ack.GetProperty("duplicate").GetBoolean());
        }

        for (var n = 1; n <= 150; n++)
        {
            Assert.Equal((n, false), await PostAsync("W" + n));
        }

        Assert.Equal((29L, true), await PostAsync("W29"));
        Assert.Equal((150L, true), await PostAsync("W150"));
        Assert.Equal((151L, false), await PostAsync("W28"));
        Assert.Equal((152L, false), await PostAsync("W1"));
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task Private_room_admits_listed_members_and_staff_only()
    {
        _front.Http.DefaultRequestHeaders.Add("X-Api-Key", RealtimeFront.ApiKey);
        Assert.Equal(HttpStatusCode.NoContent, (await _front.Http.PutAsync("/api/rooms/vip/members/alice", null)).StatusCode);
        await using var alice = await _front.ConnectAsync("alice");
        await using var mallory = await _front.ConnectAsync("mallory");
        await using var agent = await _front.ConnectAsync("agent007", UserIdentity.Agent);

        Assert.Equal("joined", (await alice.JoinAsync("vip")).GetProperty("type").GetString());
        Assert.Equal("joined", (await agent.JoinAsync("vip")).GetProperty("type").GetString());
        var refused = await mallory.JoinAsync("vip");
        Assert.Equal("error", refused.GetProperty("type").GetString());
        Assert.Equal("forbidden", refused.GetProperty("code").GetString());

        await mallory.SendAsync(new { type = "send", id = "sneak", room = "vip", data = "x" });
        var sendRefused = await mallory.NextAsync("error");
        Assert.Equal("forbidden", sendRefused.GetProperty("code").GetString());
        Assert.Equal("sneak", sendRefused.GetProperty("id").GetString());
        await mallory.SendAsync(new { type = "history", room = "vip" });
        Assert.Equal("forbidden", (await mallory.NextAsync("error")).GetProperty("code").GetString());

        // Taking alice off the list takes her sockets out of the room.
        Assert.Equal(HttpStatusCode.NoContent, (await _front.Http.DeleteAsync("/api/rooms/vip/members/alice")).StatusCode);
        Assert.Equal("vip", (await alice.NextAsync("left")).GetProperty("room").GetString());
        Assert.Equal("forbidden", (await alice.JoinAsync("vip")).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Presence_stays_online_until_the_last_connection_of_a_user_closes()
    {
        await using var alice = await _front.ConnectAsync("alice");
        await alice.JoinAsync("presence-room");
        var bobTab1 = await _front.ConnectAsync("bob");
        var bobTab2 = await _front.ConnectAsync("bob");
        await bobTab1.JoinAsync("presence-room");

        async Task<bool> BobOnline()
        {
            await alice.SendAsync(new { type = "presence", room = "presence-room" });
            var presence = await alice.NextAsync("presence");
            return presence.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("userId").GetString() == "bob").GetProperty("online").GetBoolean();
        }

        Assert.True(await BobOnline());
        await bobTab1.CloseAsync();
        await bobTab1.DisposeAsync();
        Assert.True(await BobOnline());
        await bobTab2.CloseAsync();
        await bobTab2.DisposeAsync();
        Assert.False(await BobOnline());
        Assert.Equal("bob", (await alice.NextAsync("event", e => e.GetProperty("event").GetString() == "user_offline")).GetProperty("userId").GetString());
        Assert.DoesNotContain(alice.Unread("event"), e => e.GetProperty("event").GetString() == "user_offline");

        await using var bobBack = await _front.ConnectAsync("bob");
        var online = await alice.NextAsync("event", e => e.GetProperty("event").GetString() == "user_online");
        Assert.Equal("presence-room", online.GetProperty("room").GetString());
        Assert.Equal("bob", online.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task Bad_frames_get_error_frames_and_the_connection_stays_open()
    {
        await using var alice = await _front.ConnectAsync("alice");

        async Task<JsonElement> Answer(string text)
        {
            await alice.SendTextAsync(text);
            return await alice.NextAsync("error");
        }

        Assert.Equal("bad_request", (await Answer("{not json")).GetProperty("code").GetString());
        Assert.Equal("bad_request", (await Answer("[1,2]")).GetProperty("code").GetString());
        Assert.Equal("unknown_type", (await Answer("{\"room\":\"x\"}")).GetProperty("code").GetString());
        Assert.Equal("unknown_type", (await Answer("{\"type\":\"dance\"}")).GetProperty("code").GetString());
        var noRoom = await Answer("{\"type\":\"send\",\"id\":\"x1\",\"data\":1}");
        Assert.Equal("bad_request", noRoom.GetProperty("code").GetString());
        Assert.Equal("x1", noRoom.GetProperty("id").GetString());
        Assert.Equal("bad_request", (await Answer("{\"type\":\"send\",\"id\":\"x2\",\"room\":\"r\",\"to\":\"bob\",\"data\":1}")).GetProperty("code").GetString());
        Assert.Equal("bad_request", (await Answer("{\"type\":\"join\",\"room\":\"r\",\"since\":\"yesterday\"}")).GetProperty("code").GetString());
        var tooLongRoom = new string('r', 200);
        Assert.Equal("bad_request", (await Answer("{\"type\":\"join\",\"room\":\"" + tooLongRoom + "\"}")).GetProperty("code").GetString());
        await alice.Socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
        var binary = await alice.NextAsync("error");
        Assert.Equal("bad_request", binary.GetProperty("code").GetString());
        Assert.DoesNotContain(" at ", binary.GetProperty("message").GetString(), StringComparison.Ordinal);

        await alice.SendAsync(new { type = "ping" });
        await alice.NextAsync("pong");
        Assert.Equal(WebSocketState.Open, alice.Socket.State);
    }
}
