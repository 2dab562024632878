using StackExchange.Redis;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Users;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// An inbox takes direct messages as a room takes posts: sends that arrive while a write is in flight wait together
/// for the next write, and past <c>WRITE_QUEUE_LIMIT</c> they are refused with <c>busy</c>, nothing stored. Redis
/// holds the write in flight (<c>CLIENT PAUSE … WRITE</c>), so what arrives meanwhile is known.
/// </summary>
[Collection(SharedRedisCollection.Name)]
public sealed class InboxGroupCommitTests(SharedRedis redis)
{
    [Fact]
    public async Task Sends_during_a_write_wait_together_for_the_next_and_past_the_limit_are_refused_busy()
    {
        await using var front = await StartFrontAsync(("WRITE_QUEUE_LIMIT", "5"));
        var inbox = front.GetRequiredService<IClusterClient>().GetGrain<IUserGrain>("busy-agent");
        Assert.Equal(1, (await inbox.SendDirect(new OutgoingMessage("customer-0", "first", "0", null))).Seq);

        // The first send's write waits in Redis; the next four queue behind it, and the limit (5) refuses the rest.
        var sends = await WhileRedisHoldsWritesAsync(
            () => [.. Enumerable.Range(1, 20).Select(n => inbox.SendDirect(new OutgoingMessage("customer-" + n, "m" + n, n.ToString(), null)))],
            sends => sends.Count(s => s.IsFaulted) == 15);

        var stored = new List<long>();
        foreach (var send in sends)
        {
            try
            {
                stored.Add((await send).Seq);
            }
            catch (BusyException)
            {
            }
        }

        Assert.Equal([2L, 3, 4, 5, 6], stored.Order());
        var page = await inbox.Inbox(PageRequest.After(0, 100, int.MaxValue));
        Assert.Equal([1L, 2, 3, 4, 5, 6], page.Messages.Select(m => m.Seq));
    }

    [Fact]
    public async Task A_senders_messages_waiting_for_a_write_count_against_its_share_of_the_inbox()
    {
        // 25 % of 4,000 bytes: 1,000 bytes of data per sender.
        await using var front = await StartFrontAsync(("INBOX_MAX_BYTES", "4000"), ("INBOX_SENDER_SHARE", "25"));
        var inbox = front.GetRequiredService<IClusterClient>().GetGrain<IUserGrain>("shared-agent");
        Assert.Equal(1, (await inbox.SendDirect(new OutgoingMessage("someone-else", "first", "0", null))).Seq);

        // Ten messages of 300 bytes at once: the first three fit (900), whether stored or still waiting; the rest do not.
        var data = "\"" + new string('x', 298) + "\"";
        var sends = await WhileRedisHoldsWritesAsync(
            () => [.. Enumerable.Range(1, 10).Select(n => inbox.SendDirect(new OutgoingMessage("flooder", "f" + n, data, null)))],
            sends => sends.Count(s => s.IsCompleted) == 7);

        var results = await Task.WhenAll(sends);
        Assert.Equal(3, results.Count(r => !r.InboxFull));
        Assert.Equal(7, results.Count(r => r.InboxFull));
        var page = await inbox.Inbox(PageRequest.After(0, 100, int.MaxValue));
        Assert.Equal(3, page.Messages.Count(m => m.From == "flooder"));
    }

    [Fact]
    public async Task A_batch_is_checked_message_by_message_and_its_earlier_messages_count_against_the_share()
    {
        await using var front = await StartFrontAsync(("INBOX_MAX_BYTES", "4000"), ("INBOX_SENDER_SHARE", "25"));
        var inbox = front.GetRequiredService<IClusterClient>().GetGrain<IUserGrain>("batch-agent");
        Assert.Equal(1, (await inbox.SendDirect(new OutgoingMessage("batcher", "b0", "0", null))).Seq);

        // b0 again (a duplicate), then ten of 300 bytes: three fit beside b0's one byte (901 of 1,000), the rest do not.
        var data = "\"" + new string('y', 298) + "\"";
        OutgoingMessage[] batch = [new("batcher", "b0", "0", null), .. Enumerable.Range(1, 10).Select(n => new OutgoingMessage("batcher", "b" + n, data, null))];
        var results = await inbox.SendDirectMany(batch);

        Assert.Equal((1L, true), (results[0].Seq, results[0].Duplicate));
        Assert.Equal([2L, 3, 4], results.Skip(1).Where(r => !r.InboxFull).Select(r => r.Seq));
        Assert.Equal(7, results.Count(r => r.InboxFull));
        Assert.All(results.Skip(4), r => Assert.True(r.InboxFull));
    }

    [Fact]
    public async Task A_retry_of_messages_still_waiting_for_their_write_is_answered_with_them_even_when_full_or_over_the_share()
    {
        await using var front = await StartFrontAsync(("WRITE_QUEUE_LIMIT", "5"), ("INBOX_MAX_BYTES", "4000"), ("INBOX_SENDER_SHARE", "25"));
        var inbox = front.GetRequiredService<IClusterClient>().GetGrain<IUserGrain>("retry-agent");
        Assert.Equal(1, (await inbox.SendDirect(new OutgoingMessage("someone-else", "first", "0", null))).Seq);

        // Three of 300 bytes from one sender (900 of its 1,000) and two from others fill the queue (5): a sixth is busy.
        var data = "\"" + new string('z', 298) + "\"";
        OutgoingMessage[] sent = [new("retrier", "r1", data, null), new("retrier", "r2", data, null), new("retrier", "r3", data, null),
            new("other-1", "o1", data, null), new("other-2", "o2", data, null)];
        Task<SendResult>[] sends;
        Task<SendResult> retry;
        Task<IReadOnlyList<SendResult>> retriedBatch;
        await using (await PauseRedisWritesAsync())
        {
            sends = [.. sent.Select(inbox.SendDirect)];
            await Assert.ThrowsAsync<BusyException>(() => inbox.SendDirect(new OutgoingMessage("other-3", "o3", data, null)));

            // The client saw no ack and sends again: counted once, neither busy nor over the share, so it waits for the
            // write with the first copies (a send after them is still busy: they were taken while the queue was full).
            retry = inbox.SendDirect(sent[2]);
            retriedBatch = inbox.SendDirectMany([sent[1], sent[3]]);
            await Assert.ThrowsAsync<BusyException>(() => inbox.SendDirect(new OutgoingMessage("other-4", "o4", data, null)));
            Assert.False(retry.IsCompleted || retriedBatch.IsCompleted);
        }

        var first = await Task.WhenAll(sends);
        Assert.Equal([2L, 3, 4, 5, 6], first.Select(r => r.Seq).Order());
        Assert.All(first, r => Assert.False(r.Duplicate || r.InboxFull));
        SendResult[] again = [await retry, .. await retriedBatch];
        Assert.Equal([first[2].Seq, first[1].Seq, first[3].Seq], again.Select(r => r.Seq));
        Assert.All(again, r => Assert.True(r.Duplicate && !r.InboxFull));
        var page = await inbox.Inbox(PageRequest.After(0, 100, int.MaxValue));
        Assert.Equal([1L, 2, 3, 4, 5, 6], page.Messages.Select(m => m.Seq));
    }

    private Task<TestHost> StartFrontAsync(params (string Name, string Value)[] extra)
    {
        var settings = TestHost.ClusterSettings(redis, "rt-inbox-" + Guid.NewGuid().ToString("N")[..8]);
        settings["FRONT_HOSTS_SILO"] = "true";
        foreach (var (name, value) in extra)
        {
            settings[name] = value;
        }

        return TestHost.StartFrontAsync(settings);
    }

    /// <summary>
    /// Pauses Redis' writes (the first write of what <paramref name="start"/> sends then waits there), starts the sends,
    /// and resumes Redis once <paramref name="settled"/> holds, well within the storage's command timeout.
    /// </summary>
    private async Task<Task<SendResult>[]> WhileRedisHoldsWritesAsync(Func<Task<SendResult>[]> start, Func<Task<SendResult>[], bool> settled)
    {
        await using (await PauseRedisWritesAsync())
        {
            var sends = start();
            await Eventually.TrueAsync(() => Task.FromResult(settled(sends)), what: "the sends answered while Redis holds the write");
            return sends;
        }
    }

    /// <summary>Holds Redis' writes (<c>CLIENT PAUSE … WRITE</c>, well beyond the test) until the result is disposed.</summary>
    private async Task<IAsyncDisposable> PauseRedisWritesAsync()
    {
        var admin = await ConnectionMultiplexer.ConnectAsync($"{redis.Host}:{redis.Port},allowAdmin=true");
        try
        {
            var server = admin.GetServer(redis.Host, redis.Port);
            await server.ExecuteAsync("CLIENT", "PAUSE", "30000", "WRITE");
            return new Resume(admin, server);
        }
        catch
        {
            await admin.DisposeAsync();
            throw;
        }
    }

    private sealed class Resume(ConnectionMultiplexer admin, IServer server) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await server.ExecuteAsync("CLIENT", "UNPAUSE");
            await admin.DisposeAsync();
        }
    }
}
