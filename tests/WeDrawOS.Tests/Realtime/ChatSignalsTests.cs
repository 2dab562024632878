using System.Diagnostics;
using System.Text.Json;
using Orleans.Runtime;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Grains.Interfaces.Users;
using WeDrawOS.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WeDrawOS.Tests.Realtime;

/// <summary>What a customer-service chat needs besides messages, over real sockets: typing, read receipts, unread counts, the conversation list.</summary>
public sealed class ChatSignalsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestHost _front = null!;

    private IClusterClient Cluster => _front.GetRequiredService<IClusterClient>();

    public async Task InitializeAsync() => _front = await TestHost.StartFrontAsync(RealtimeFront.Settings());

    public async Task DisposeAsync() => await _front.DisposeAsync();

    [Fact]
    public async Task Typing_reaches_the_other_members_and_not_the_typists_own_sockets()
    {
        await using var alice = await _front.ConnectAsync("alice");
        await using var aliceTab = await _front.ConnectAsync("alice");
        await using var bob = await _front.ConnectAsync("bob");
        await using var outsider = await _front.ConnectAsync("carol");
        await alice.JoinAsync("t1");
        await aliceTab.JoinAsync("t1");
        await bob.JoinAsync("t1");

        await alice.SendAsync(new { type = "typing", room = "t1" });
        var typing = await bob.NextAsync("typing");
        Assert.Equal("t1", typing.GetProperty("room").GetString());
        Assert.Equal("alice", typing.GetProperty("userId").GetString());

        // A message after the typing notice marks the point by which alice's other tab would have seen it.
        await bob.SendAsync(new { type = "send", id = "after-typing", room = "t1", data = 1 });
        await aliceTab.NextAsync("message");
        Assert.Empty(aliceTab.Unread("typing"));
        Assert.Empty(alice.Unread("typing"));
        Assert.Empty(outsider.Unread("typing"));
    }

    [Fact]
    public async Task Typing_in_a_room_the_socket_has_not_joined_is_refused()
    {
        await using var alice = await _front.ConnectAsync("alice");

        await alice.SendAsync(new { type = "typing", id = "t", room = "elsewhere" });
        var error = await alice.NextAsync("error");
        Assert.Equal("not_joined", error.GetProperty("code").GetString());
        Assert.Equal("t", error.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Read_moves_the_cursor_forward_only_and_tells_the_members()
    {
        await using var alice = await _front.ConnectAsync("alice");
        await using var bob = await _front.ConnectAsync("bob");
        await using var bobPhone = await _front.ConnectAsync("bob");
        await alice.JoinAsync("r1");
        await bob.JoinAsync("r1");
        await bobPhone.JoinAsync("r1");
        for (var n = 1; n <= 3; n++)
        {
            await alice.SendAsync(new { type = "send", id = "m" + n, room = "r1", data = n });
            await alice.NextAsync("ack");
        }

        await bob.SendAsync(new { type = "read", id = "read-1", room = "r1", seq = 2 });
        var answer = await bob.NextAsync("receipt");
        Assert.Equal("read-1", answer.GetProperty("id").GetString());
        Assert.Equal(2, answer.GetProperty("seq").GetInt64());
        Assert.Equal("bob", answer.GetProperty("userId").GetString());

        // Every other socket in the room hears it, bob's other device included, without the reader's id.
        foreach (var other in new[] { alice, bobPhone })
        {
            var receipt = await other.NextAsync("receipt");
            Assert.Equal("r1", receipt.GetProperty("room").GetString());
            Assert.Equal("bob", receipt.GetProperty("userId").GetString());
            Assert.Equal(2, receipt.GetProperty("seq").GetInt64());
            Assert.False(receipt.TryGetProperty("id", out _));
        }

        // Backwards changes nothing; beyond the latest seq is capped at it.
        await bob.SendAsync(new { type = "read", id = "read-back", room = "r1", seq = 1 });
        Assert.Equal(2, (await bob.NextAsync("receipt")).GetProperty("seq").GetInt64());
        await bob.SendAsync(new { type = "read", id = "read-far", room = "r1", seq = 99 });
        Assert.Equal(3, (await bob.NextAsync("receipt")).GetProperty("seq").GetInt64());
        Assert.Equal(3, (await alice.NextAsync("receipt")).GetProperty("seq").GetInt64());
        Assert.Empty(alice.Unread("receipt"));
        Assert.Equal([new ReadCursor("bob", 3)], await Cluster.GetGrain<IRoomGrain>("r1").Readers());
    }

    [Fact]
    public async Task Read_by_a_non_member_is_refused()
    {
        await using var alice = await _front.ConnectAsync("alice");

        await alice.SendAsync(new { type = "read", id = "r", room = "never-joined", seq = 1 });
        var error = await alice.NextAsync("error");
        Assert.Equal("not_joined", error.GetProperty("code").GetString());
        await alice.SendAsync(new { type = "read", room = "never-joined" });
        Assert.Equal("bad_request", (await alice.NextAsync("error")).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Joined_carries_unread_messages_of_others_and_every_readers_cursor()
    {
        await using (var bob = await _front.ConnectAsync("bob"))
        {
            await bob.JoinAsync("u1");
        }

        await using var alice = await _front.ConnectAsync("alice");
        await alice.JoinAsync("u1");
        for (var n = 1; n <= 5; n++)
        {
            await alice.SendAsync(new { type = "send", id = "a" + n, room = "u1", data = n });
            await alice.NextAsync("ack");
        }

        await using var bobAgain = await _front.ConnectAsync("bob");
        var joined = await bobAgain.JoinAsync("u1");
        Assert.Equal(5, joined.GetProperty("unread").GetInt64());
        Assert.Empty(joined.GetProperty("readers").EnumerateArray());

        await bobAgain.SendAsync(new { type = "read", room = "u1", seq = 2 });
        await bobAgain.NextAsync("receipt");
        await bobAgain.SendAsync(new { type = "send", id = "b1", room = "u1", data = "reply" });
        await bobAgain.NextAsync("ack");

        await using var bobLater = await _front.ConnectAsync("bob");
        joined = await bobLater.JoinAsync("u1");
        Assert.Equal(3, joined.GetProperty("unread").GetInt64());
        var readers = joined.GetProperty("readers").EnumerateArray().Select(r => (r.GetProperty("userId").GetString(), r.GetProperty("seq").GetInt64())).ToList();
        Assert.Equal([("bob", 2L)], readers);

        // Alice's own five messages are not unread for her; bob's reply is.
        await using var aliceAgain = await _front.ConnectAsync("alice");
        Assert.Equal(1, (await aliceAgain.JoinAsync("u1")).GetProperty("unread").GetInt64());
    }

    [Fact]
    public async Task Read_cursor_survives_the_room_grain_deactivating()
    {
        await using var alice = await _front.ConnectAsync("alice");
        await alice.JoinAsync("persist");
        var room = Cluster.GetGrain<IRoomGrain>("persist");
        for (var n = 1; n <= 4; n++)
        {
            await room.Post(new OutgoingMessage("bot", "p" + n, n.ToString(System.Globalization.CultureInfo.InvariantCulture), null), senderIsStaff: true);
        }

        await alice.SendAsync(new { type = "read", room = "persist", seq = 3 });
        await alice.NextAsync("receipt");
        await room.Cast<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();

        Assert.Equal(1, (await room.Summary("alice")).Unread);
        Assert.Equal([new ReadCursor("alice", 3)], await room.Readers());
    }

    [Fact]
    public async Task Rooms_lists_the_users_conversations_with_unread_counts_and_last_message()
    {
        await using var agent = await _front.ConnectAsync("agent-1", "agent");
        await agent.JoinAsync("support-c1");
        await agent.JoinAsync("support-c2");
        await agent.JoinAsync("support-c3");
        using var api = RealtimeApi();
        await api.PostAsync("/api/rooms/support-c1/messages", Json(new { from = "c1", data = new { text = "one" } }));
        await api.PostAsync("/api/rooms/support-c1/messages", Json(new { from = "c1", data = new { text = "two" } }));
        await api.PostAsync("/api/rooms/support-c2/messages", Json(new { from = "c2", data = new { text = "big", pad = new string('x', 5000) } }));
        await agent.SendAsync(new { type = "read", room = "support-c1", seq = 1 });
        await agent.NextAsync("receipt");

        List<JsonElement> rooms = [];
        await Eventually.TrueAsync(async () =>
        {
            await agent.SendAsync(new { type = "rooms" });
            rooms = (await agent.NextAsync("rooms")).GetProperty("rooms").EnumerateArray().ToList();
            return rooms.Count == 3;
        }, what: "the agent's three rooms are listed");

        // Latest activity first; the room without messages last.
        Assert.Equal(["support-c2", "support-c1", "support-c3"], rooms.Select(r => r.GetProperty("room").GetString()));
        var c1 = rooms[1];
        Assert.Equal(2, c1.GetProperty("seq").GetInt64());
        Assert.Equal(1, c1.GetProperty("unread").GetInt64());
        Assert.Equal(1, c1.GetProperty("read").GetInt64());
        Assert.Equal("two", c1.GetProperty("lastMessage").GetProperty("data").GetProperty("text").GetString());
        Assert.Equal(2, c1.GetProperty("lastMessage").GetProperty("seq").GetInt64());
        var c2 = rooms[0];
        Assert.Equal(1, c2.GetProperty("unread").GetInt64());
        Assert.True(c2.GetProperty("lastMessage").GetProperty("truncated").GetBoolean());
        Assert.Equal(JsonValueKind.Null, c2.GetProperty("lastMessage").GetProperty("data").ValueKind);
        Assert.False(rooms[2].TryGetProperty("lastMessage", out _));
        Assert.Equal(0, rooms[2].GetProperty("seq").GetInt64());

        await agent.SendAsync(new { type = "leave", room = "support-c3" });
        await agent.NextAsync("left");
        await Eventually.TrueAsync(async () => (await Cluster.GetGrain<IUserGrain>("agent-1").Rooms()).Count == 2, what: "the left room is no longer listed");
    }

    [Fact]
    public async Task Rooms_of_a_user_in_a_thousand_rooms_are_listed_whole()
    {
        const int count = 1000;
        var cluster = Cluster;
        var watch = Stopwatch.StartNew();
        foreach (var batch in Enumerable.Range(0, count).Chunk(100))
        {
            await Task.WhenAll(batch.Select(n => cluster.GetGrain<IRoomGrain>($"many-{n}").Join("busy-agent", isStaff: true, replay: null)));
        }

        output.WriteLine($"joined {count} rooms in {watch.ElapsedMilliseconds} ms");
        await Eventually.TrueAsync(async () => (await cluster.GetGrain<IUserGrain>("busy-agent").Rooms()).Count == count, what: "every room is tracked");
        await cluster.GetGrain<IRoomGrain>("many-7").Post(new OutgoingMessage("customer", null, "\"latest\"", null), senderIsStaff: false);

        watch.Restart();
        var listed = await cluster.GetGrain<IRoomListGrain>(0).List("busy-agent");
        output.WriteLine($"listed {listed.Count} rooms in {watch.ElapsedMilliseconds} ms");
        Assert.Equal(count, listed.Count);
        Assert.Equal("many-7", listed[0].Room);
        Assert.Equal(1, listed[0].Unread);

        await using var agent = await _front.ConnectAsync("busy-agent", "agent");
        watch.Restart();
        await agent.SendAsync(new { type = "rooms" });
        var frame = await agent.NextAsync("rooms");
        output.WriteLine($"rooms frame of {frame.GetProperty("rooms").GetArrayLength()} rooms answered in {watch.ElapsedMilliseconds} ms");
        Assert.Equal(count, frame.GetProperty("rooms").GetArrayLength());
    }

    private HttpClient RealtimeApi()
    {
        var http = new HttpClient { BaseAddress = _front.BaseAddress };
        http.DefaultRequestHeaders.Add("X-Api-Key", RealtimeFront.ApiKey);
        return http;
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
