using System.Text.Json;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// What one receiving socket got of a room or of its inbox, in arrival order. A <c>resync</c> frame is handled as a
/// client must: it asks again with <c>since</c> (its last seq) and takes the answer; repeats after that are allowed by
/// the protocol and left out.
/// </summary>
internal sealed class MessageTranscript
{
    private static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(60);

    private MessageTranscript(List<long> seqs, int resyncs)
    {
        Seqs = seqs;
        Resyncs = resyncs;
    }

    /// <summary>Seqs in the order they reached the client (recovered ones after a resync included, repeats left out).</summary>
    public IReadOnlyList<long> Seqs { get; }

    public int Resyncs { get; }

    /// <summary>Reads the room's <c>message</c> and <c>resync</c> frames until seq <paramref name="last"/> has arrived.</summary>
    public static Task<MessageTranscript> ReadRoomAsync(WsClient client, string room, long joinedAt, long last) => ReadAsync(
        client,
        f => f.TryGetProperty("room", out var r) && r.GetString() == room,
        async since => (await client.JoinAsync(room, since)).GetProperty("messages"),
        joinedAt,
        last);

    /// <summary>Reads the direct messages to <paramref name="userId"/> and inbox <c>resync</c> frames until inbox seq <paramref name="last"/> has arrived.</summary>
    public static Task<MessageTranscript> ReadInboxAsync(WsClient client, string userId, long welcomedAt, long last) => ReadAsync(
        client,
        f => f.GetProperty("type").GetString() == "resync" ? f.TryGetProperty("inbox", out _) : f.TryGetProperty("to", out var to) && to.GetString() == userId,
        async since =>
        {
            await client.SendAsync(new { type = "inbox", since });
            return (await client.NextAsync("inbox")).GetProperty("messages");
        },
        welcomedAt,
        last);

    /// <summary>Every seq after the start exactly once, in order: so every acked one too.</summary>
    public void AssertComplete(long start, IEnumerable<long> acked, string who)
    {
        var last = Seqs.Count > 0 ? Seqs[^1] : start;
        var missing = Enumerable.Range(1, (int)(last - start)).Select(n => start + n).Except(Seqs).ToList();
        Assert.True(missing.Count == 0, $"{who} missed {missing.Count} seq(s), first {string.Join(", ", missing.Take(10))}");
        var outOfOrder = Seqs.Zip(Seqs.Skip(1)).FirstOrDefault(p => p.Second <= p.First);
        Assert.True(outOfOrder == default, $"{who} got seq {outOfOrder.Second} after {outOfOrder.First}");
        var unseen = acked.Where(s => s > start).Except(Seqs).ToList();
        Assert.True(unseen.Count == 0, $"{who} never got acked seq(s) {string.Join(", ", unseen.Take(10))}");
    }

    /// <summary>The seq of a <c>joined</c> frame.</summary>
    public static long JoinedSeq(JsonElement joined) => joined.GetProperty("seq").GetInt64();

    private static async Task<MessageTranscript> ReadAsync(WsClient client, Func<JsonElement, bool> isOurs, Func<long, Task<JsonElement>> recover, long start, long last)
    {
        var seqs = new List<long>();
        var resyncs = 0;
        var position = start;
        while (position < last)
        {
            var frame = await client.WaitForAsync(f => f.GetProperty("type").GetString() is "message" or "resync" && isOurs(f), FrameTimeout);
            if (frame.GetProperty("type").GetString() == "resync")
            {
                Assert.False(frame.GetProperty("recovered").GetBoolean());
                resyncs++;
                foreach (var recovered in (await recover(position)).EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).Where(s => s > position))
                {
                    seqs.Add(recovered);
                    position = recovered;
                }

                continue;
            }

            var seq = frame.GetProperty("seq").GetInt64();
            if (resyncs == 0 || seq > position)
            {
                seqs.Add(seq);
                position = Math.Max(position, seq);
            }
        }

        return new MessageTranscript(seqs, resyncs);
    }
}
