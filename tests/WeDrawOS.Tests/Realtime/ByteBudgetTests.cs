using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeDrawOS.Tests.Foundation;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// Byte budgets: what a room's history and an inbox keep, what one answer carries (cut with <c>more: true</c>, paged
/// on by seq) and how much one sender may hold of another user's inbox. (A slow reader's queued bytes: SocketLimitsTests.)
/// Messages here are 1,000 bytes of <c>data</c> each (a JSON string of 998 characters and its quotes).
/// </summary>
public sealed class ByteBudgetTests : IAsyncLifetime
{
    private const int MessageBytes = 1000;
    private static readonly string Data = new('x', MessageBytes - 2);
    private TestHost _front = null!;
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        _front = await TestHost.StartFrontAsync(RealtimeFront.Settings(
            ("ROOM_HISTORY_MAX_BYTES", "10000"),
            ("INBOX_MAX_BYTES", "8000"),
            ("INBOX_SENDER_SHARE", "50"),
            ("WS_ANSWER_MAX_BYTES", "4500")));
        _api = RealtimeFront.ApiClient(_front.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _front.DisposeAsync();
    }

    [Fact]
    public async Task Room_history_keeps_at_most_its_bytes_dropping_the_oldest_first()
    {
        await PostToRoomAsync("bytes-kept", 30);

        // 10,000 bytes hold ten messages: seqs 21 to 30 (read back in pages of four, the answer budget).
        Assert.Equal(Enumerable.Range(21, 10).Select(n => (long)n), await ReadAllBackwardAsync("bytes-kept"));
        await using var alice = await _front.ConnectAsync("alice");
        var joined = await alice.JoinAsync("bytes-kept", since: 5);
        Assert.False(joined.GetProperty("recovered").GetBoolean());
        Assert.Equal(21, joined.GetProperty("messages")[0].GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task History_answers_are_cut_by_bytes_and_page_on_backward_and_forward()
    {
        await PostToRoomAsync("paged", 10);
        await using var alice = await _front.ConnectAsync("alice");

        // 4,500 bytes hold four messages of 1,000: the latest four, then the four before, then the last two.
        var pages = new List<string>();
        long? before = null;
        bool more;
        do
        {
            await alice.SendAsync(before is null ? new { type = "history", room = "paged", limit = 200 } : new { type = "history", room = "paged", limit = 200, before });
            var (seqs, cut) = Page(await alice.NextAsync("history"));
            pages.Add(string.Join(",", seqs));
            before = seqs[0];
            more = cut;
        }
        while (more);

        Assert.Equal(["7,8,9,10", "3,4,5,6", "1,2"], pages);

        // Forward from a seq: oldest first, `more` until the end; a limit cuts as bytes do.
        await alice.SendAsync(new { type = "history", room = "paged", after = 2 });
        Assert.Equal("3,4,5,6 more", Describe(await alice.NextAsync("history")));
        await alice.SendAsync(new { type = "history", room = "paged", after = 6 });
        Assert.Equal("7,8,9,10", Describe(await alice.NextAsync("history")));
        await alice.SendAsync(new { type = "history", room = "paged", after = 6, limit = 2 });
        Assert.Equal("7,8 more", Describe(await alice.NextAsync("history")));
        await alice.SendAsync(new { type = "history", room = "paged", after = 1, before = 5 });
        Assert.Equal("bad_request", (await alice.NextAsync("error")).GetProperty("code").GetString());

        // The HTTP API pages the same way.
        Assert.Equal("3,4,5,6 more", Describe(JsonDocument.Parse(await _api.GetStringAsync("/api/rooms/paged/history?after=2")).RootElement));
    }

    [Fact]
    public async Task Join_since_replays_one_page_and_the_rest_follows_with_history_after()
    {
        await PostToRoomAsync("catch-up", 9);
        await using var alice = await _front.ConnectAsync("alice");

        var joined = await alice.JoinAsync("catch-up", since: 0);
        Assert.True(joined.GetProperty("recovered").GetBoolean());
        var (replayed, more) = Page(joined);
        Assert.Equal([1L, 2, 3, 4], replayed);
        Assert.True(more);

        var seen = new List<long>(replayed);
        while (more)
        {
            await alice.SendAsync(new { type = "history", room = "catch-up", after = seen[^1] });
            (var page, more) = Page(await alice.NextAsync("history"));
            seen.AddRange(page);
        }

        Assert.Equal(Enumerable.Range(1, 9).Select(n => (long)n), seen);

        // Nothing cut: no `more` at all, as before the field existed.
        var upToDate = await alice.JoinAsync("catch-up", since: 8);
        Assert.False(upToDate.TryGetProperty("more", out _));
    }

    [Fact]
    public async Task Inbox_keeps_at_most_its_bytes_and_pages_on_with_since()
    {
        // Two senders taking turns, each within its half of the inbox (each message pushes out one of the sender's
        // own): 8,000 bytes keep the last eight of twelve.
        for (var n = 1; n <= 12; n++)
        {
            var response = await _api.PostAsJsonAsync("/api/users/ivy/messages", new { from = n % 2 == 0 ? "svc-a" : "svc-b", data = Data });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await using var ivy = await _front.ConnectAsync("ivy");
        var seen = new List<long>();
        var more = true;
        while (more)
        {
            await ivy.SendAsync(new { type = "inbox", since = seen.Count == 0 ? 0 : seen[^1] });
            (var page, more) = Page(await ivy.NextAsync("inbox"));
            Assert.InRange(page.Count, 1, 4);
            seen.AddRange(page);
        }

        Assert.Equal(Enumerable.Range(5, 8).Select(n => (long)n), seen);
    }

    [Fact]
    public async Task One_sender_cannot_hold_more_than_its_share_of_another_users_inbox()
    {
        await using var mallory = await _front.ConnectAsync("mallory");
        await using var carol = await _front.ConnectAsync("carol");

        // Half of 8,000 bytes: four messages of 1,000; the fifth is refused and nothing of it is stored.
        for (var n = 1; n <= 4; n++)
        {
            await mallory.SendTextAsync(DirectFrame("m" + n, "victim"));
            Assert.Equal(n, (await mallory.NextAsync("ack")).GetProperty("seq").GetInt64());
        }

        await mallory.SendTextAsync(DirectFrame("m5", "victim"));
        var refused = await mallory.NextAsync("error");
        Assert.Equal("inbox_full", refused.GetProperty("code").GetString());
        Assert.Equal("m5", refused.GetProperty("id").GetString());

        // Others still get in, and so do services through the HTTP API until they hold their own share.
        await carol.SendTextAsync(DirectFrame("c1", "victim"));
        Assert.Equal(5, (await carol.NextAsync("ack")).GetProperty("seq").GetInt64());
        for (var n = 1; n <= 4; n++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await _api.PostAsJsonAsync("/api/users/victim/messages", new { from = "svc", data = Data })).StatusCode);
        }

        await DevTokenTests.AssertProblem(await _api.PostAsJsonAsync("/api/users/victim/messages", new { from = "svc", data = Data }), (HttpStatusCode)429, "inbox_full");

        // A user's own inbox has no share: writing to oneself only rolls the oldest out.
        for (var n = 1; n <= 10; n++)
        {
            await mallory.SendTextAsync(DirectFrame("self" + n, "mallory"));
            await mallory.NextAsync("ack");
        }
    }

    private async Task PostToRoomAsync(string room, int count)
    {
        for (var n = 1; n <= count; n++)
        {
            var response = await _api.PostAsJsonAsync($"/api/rooms/{room}/messages", new { data = Data });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
    }

    /// <summary>Every kept seq of the room, read newest page first through the HTTP API.</summary>
    private async Task<List<long>> ReadAllBackwardAsync(string room)
    {
        var seqs = new List<long>();
        var query = "";
        while (true)
        {
            var (page, more) = Page(JsonDocument.Parse(await _api.GetStringAsync($"/api/rooms/{room}/history?limit=200{query}")).RootElement);
            seqs.InsertRange(0, page);
            if (!more)
            {
                return seqs;
            }

            query = "&before=" + page[0];
        }
    }

    private static (List<long> Seqs, bool More) Page(JsonElement answer) =>
        (answer.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).ToList(),
         answer.TryGetProperty("more", out var more) && more.GetBoolean());

    /// <summary>The page's seqs, and " more" when it says <c>more: true</c>.</summary>
    private static string Describe(JsonElement answer)
    {
        var (seqs, more) = Page(answer);
        return string.Join(",", seqs) + (more ? " more" : "");
    }

    private static string DirectFrame(string id, string to) => JsonSerializer.Serialize(new { type = "send", id, to, data = Data });
}
