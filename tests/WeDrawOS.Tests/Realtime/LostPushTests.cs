using System.Net;
using System.Net.Http.Json;
using WeDrawOS.Front.Sockets;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// Pushes that never reach a front: the room grain is made to forget the front (as a room that moved without its
/// registrations would), so its messages are stored and acked but not pushed there. The front must find them.
/// </summary>
public sealed class LostPushTests : IAsyncLifetime
{
    private TestHost _front = null!;
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        _front = await TestHost.StartFrontAsync(RealtimeFront.Settings(("ROOM_HISTORY_SIZE", "20")));
        _api = new HttpClient { BaseAddress = _front.BaseAddress };
        _api.DefaultRequestHeaders.Add("X-Api-Key", RealtimeFront.ApiKey);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _front.DisposeAsync();
    }

    [Fact]
    public async Task The_last_messages_of_a_burst_arrive_although_their_pushes_were_lost()
    {
        await using var bob = await _front.ConnectAsync("bob");
        await bob.JoinAsync("tail");
        await PostAsync("tail", 1, 3);
        Assert.Equal([1L, 2, 3], await SeqsAsync(bob, "tail", 3));

        await ForgetThisFrontAsync("tail");
        await PostAsync("tail", 4, 8);

        // Nothing after them shows the gap: the front asks the room where it is once it has been quiet.
        Assert.Equal([4L, 5, 6, 7, 8], await SeqsAsync(bob, "tail", 5));
        Assert.Empty(bob.Unread("resync"));
    }

    [Fact]
    public async Task An_ack_on_this_front_shows_a_lost_push_to_the_other_sockets_here()
    {
        await using var alice = await _front.ConnectAsync("alice");
        await using var bob = await _front.ConnectAsync("bob");
        await alice.JoinAsync("acked");
        await bob.JoinAsync("acked");
        await ForgetThisFrontAsync("acked");

        // Posted through the API, so pushed to the fronts the room knows: not to this one. Alice's post comes back in
        // its answer (it was sent here), and its seq shows this front that seq 1 is missing.
        await PostAsync("acked", 1, 1);
        await alice.SendAsync(new { type = "send", id = "a2", room = "acked", data = 2 });
        Assert.Equal(2, (await alice.NextAsync("ack")).GetProperty("seq").GetInt64());

        Assert.Equal([1L, 2L], await SeqsAsync(bob, "acked", 2));
    }

    [Fact]
    public async Task Messages_gone_from_the_history_while_missing_reach_the_socket_as_one_resync_in_their_place()
    {
        await using var bob = await _front.ConnectAsync("bob");
        await bob.JoinAsync("trimmed");
        await ForgetThisFrontAsync("trimmed");

        // 30 messages into a history of 20: the first 10 are gone by the time the front reads the gap.
        await PostAsync("trimmed", 1, 30);

        var resync = await bob.NextAsync("resync");
        Assert.Equal("trimmed", resync.GetProperty("room").GetString());
        Assert.False(resync.GetProperty("recovered").GetBoolean());
        Assert.Equal(Enumerable.Range(11, 20).Select(n => (long)n), await SeqsAsync(bob, "trimmed", 20));
        Assert.Empty(bob.Unread("message"));
    }

    [Fact]
    public async Task Messages_held_behind_a_gap_reach_the_socket_although_the_gap_was_trimmed_from_the_history()
    {
        await using var bob = await _front.ConnectAsync("bob");
        await bob.JoinAsync("held");
        await ForgetThisFrontAsync("held");
        var room = _front.GetRequiredService<IClusterClient>().GetGrain<IRoomGrain>("held");
        await room.PostMany(Messages(1, 4), senderIsStaff: true);

        // Registered again without the feed hearing the room's position: 5..40 come in one push, ahead of the missing
        // 1..4, and when the gap is read the history (20) keeps only 21..40. The front holds 5..20 itself: only 1..4 are
        // lost, and the socket is told so in their place.
        var node = _front.GetRequiredService<FrontNode>();
        await room.Subscribe(node.FrontId, node.Reference, node.Lease);
        await room.PostMany(Messages(5, 40), senderIsStaff: true);

        Assert.Equal("resync", (await bob.WaitForAsync(f => f.GetProperty("type").GetString() is "resync" or "message")).GetProperty("type").GetString());
        var seqs = new List<long>();
        while (seqs.LastOrDefault() != 40)
        {
            seqs.Add((await bob.NextAsync("message")).GetProperty("seq").GetInt64());
        }

        Assert.Equal(Enumerable.Range(5, 36).Select(n => (long)n), seqs);
        Assert.Empty(bob.Unread("resync"));
    }

    private static List<OutgoingMessage> Messages(int first, int last) =>
        [.. Enumerable.Range(first, last - first + 1).Select(n => new OutgoingMessage("system", "m" + n, n.ToString(System.Globalization.CultureInfo.InvariantCulture), null))];

    /// <summary>The room stops pushing to this front (as if its registration was lost), while the front keeps its sockets in the room.</summary>
    private Task ForgetThisFrontAsync(string room) =>
        _front.GetRequiredService<IClusterClient>().GetGrain<IRoomGrain>(room).Unsubscribe(_front.GetRequiredService<FrontNode>().FrontId);

    private async Task PostAsync(string room, int first, int last)
    {
        for (var n = first; n <= last; n++)
        {
            var response = await _api.PostAsJsonAsync($"/api/rooms/{room}/messages", new { id = "m" + n, data = n });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
    }

    private static async Task<List<long>> SeqsAsync(WsClient client, string room, int count)
    {
        var seqs = new List<long>();
        for (var n = 0; n < count; n++)
        {
            seqs.Add((await client.NextAsync("message", m => m.GetProperty("room").GetString() == room)).GetProperty("seq").GetInt64());
        }

        return seqs;
    }
}
