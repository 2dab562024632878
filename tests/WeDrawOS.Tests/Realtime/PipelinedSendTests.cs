using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using WeDrawOS.Services.Telemetry;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// A client that sends without waiting for each ack (docs/protocol.md, "Frames"): the front reads on while posts are in
/// flight and sends what it read together, yet every frame is answered in the order it was sent, one sender's messages
/// take seqs in that order, and the other members get them in seq order, once.
/// </summary>
public sealed class PipelinedSendTests : IAsyncLifetime
{
    private TestHost _front = null!;

    public async Task InitializeAsync() => _front = await TestHost.StartFrontAsync(RealtimeFront.Settings(
        ("WS_RATE_BURST", "1000"), ("WS_RATE_PER_SECOND", "1000")));

    public async Task DisposeAsync() => await _front.DisposeAsync();

    [Fact]
    public async Task Sends_written_back_to_back_are_answered_in_frame_order_with_seqs_in_that_order()
    {
        await using var sender = await _front.ConnectAsync("pipe-sender");
        await using var receiver = await _front.ConnectAsync("pipe-receiver");
        await sender.JoinAsync("pipelined");
        await receiver.JoinAsync("pipelined");

        // Written without reading anything in between; the other frames must wait for the posts before them.
        for (var n = 1; n <= 100; n++)
        {
            await sender.SendAsync(new { type = "send", id = "p" + n, room = "pipelined", data = new { n } });
        }

        await sender.SendAsync(new { type = "history", room = "pipelined", limit = 200 });
        await sender.SendAsync(new { type = "send", id = "bad", room = "pipelined" });
        for (var n = 101; n <= 200; n++)
        {
            await sender.SendAsync(new { type = "send", id = "p" + n, room = "pipelined", data = new { n } });
        }

        var answers = await AnswersUntilPongAsync(sender);
        string[] expected =
        [
            .. Enumerable.Range(1, 100).Select(n => $"ack p{n} {n}"),
            "history 1..100",
            "error bad_request bad",
            .. Enumerable.Range(101, 100).Select(n => $"ack p{n} {n}"),
            "pong",
        ];
        Assert.Equal(expected, answers);

        Assert.Equal(Enumerable.Range(1, 200).Select(n => $"p{n} {n}"), await MessagesAsync(receiver, 200));
    }

    [Fact]
    public async Task Direct_messages_written_back_to_back_are_answered_in_order_and_arrive_in_order()
    {
        await using var sender = await _front.ConnectAsync("dm-pipe-sender");
        var (recipient, welcome) = await WsClient.ConnectWelcomedAsync(_front.BaseAddress, _front.Token("dm-pipe-recipient"));
        await using var _ = recipient;
        var start = welcome.GetProperty("inboxSeq").GetInt64();
        for (var n = 1; n <= 100; n++)
        {
            await sender.SendAsync(new { type = "send", id = "d" + n, to = "dm-pipe-recipient", data = new { n } });
        }

        Assert.Equal([.. Enumerable.Range(1, 100).Select(n => $"ack d{n} {start + n}"), "pong"], await AnswersUntilPongAsync(sender));
        Assert.Equal(Enumerable.Range(1, 100).Select(n => $"d{n} {start + n}"), await MessagesAsync(recipient, 100));
    }

    [Fact]
    public async Task Sends_refused_by_the_room_are_each_answered_with_their_id_in_order()
    {
        await using var outsider = await _front.ConnectAsync("pipe-outsider");

        // A private conversation admits its owner (and staff) only.
        for (var n = 1; n <= 20; n++)
        {
            await outsider.SendAsync(new { type = "send", id = "x" + n, room = "support-pipe-owner", data = n });
        }

        var answers = await AnswersUntilPongAsync(outsider);
        Assert.Equal([.. Enumerable.Range(1, 20).Select(n => $"error forbidden x{n}"), "pong"], answers);
    }

    [Fact]
    public async Task Sends_cut_off_by_a_close_and_sent_again_are_stored_once_in_frame_order()
    {
        await using (var first = await _front.ConnectAsync("pipe-closer"))
        {
            for (var n = 1; n <= 100; n++)
            {
                await first.SendAsync(new { type = "send", id = "c" + n, room = "pipelined-close", data = n });
            }

            await first.CloseAsync();
        }

        // The client saw no ack it can trust, so it sends everything again with the same ids.
        await using var again = await _front.ConnectAsync("pipe-closer");
        for (var n = 1; n <= 100; n++)
        {
            await again.SendAsync(new { type = "send", id = "c" + n, room = "pipelined-close", data = n });
        }

        var seqs = new List<long>();
        for (var n = 1; n <= 100; n++)
        {
            var ack = await again.NextAsync("ack");
            Assert.Equal("c" + n, ack.GetProperty("id").GetString());
            seqs.Add(ack.GetProperty("seq").GetInt64());
        }

        Assert.Equal(Enumerable.Range(1, 100).Select(n => (long)n), seqs);
        Assert.Empty(again.Unread("error"));

        await again.SendAsync(new { type = "history", room = "pipelined-close", limit = 200 });
        var history = await again.NextAsync("history");
        Assert.Equal(
            Enumerable.Range(1, 100).Select(n => $"c{n} {n}"),
            history.GetProperty("messages").EnumerateArray().Select(m => $"{m.GetProperty("id").GetString()} {m.GetProperty("seq").GetInt64()}"));
    }

    [Fact]
    public async Task A_calls_span_links_the_spans_of_the_send_frames_it_carries()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WeDrawOSTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var sender = await _front.ConnectAsync("pipe-traced");
        for (var n = 1; n <= 50; n++)
        {
            await sender.SendAsync(new { type = "send", id = "t" + n, room = "pipelined-traced", data = n });
        }

        Assert.Equal(50, (await AnswersUntilPongAsync(sender)).Count(a => a.StartsWith("ack ", StringComparison.Ordinal)));

        // Other tests' spans go to the same listener: this test's calls are those tagged with its room.
        List<Activity> Calls() => [.. stopped.Where(a => a.OperationName == "ws post" && (string?)a.GetTagItem("wedrawos.room") == "pipelined-traced")];
        await Eventually.TrueAsync(() => Task.FromResult(Calls().Sum(c => (int)c.GetTagItem("wedrawos.posts")!) == 50), what: "the calls' spans of all 50 sends");
        var sends = stopped.Where(a => a.OperationName == "ws send").ToDictionary(a => a.SpanId);
        var linked = Calls().SelectMany(c => c.Links).Select(l => l.Context.SpanId).ToList();

        Assert.All(Calls(), c => Assert.Equal(default, c.ParentSpanId));
        Assert.Equal(50, linked.Distinct().Count());
        Assert.All(linked, span => Assert.True(sends.ContainsKey(span), "a link to a span that is not a send frame's"));
        Assert.Equal(50, linked.Select(span => sends[span].TraceId).Distinct().Count());
    }

    /// <summary>The next <paramref name="count"/> <c>message</c> frames, each as its id and seq.</summary>
    private static async Task<List<string>> MessagesAsync(WsClient client, int count)
    {
        var messages = new List<string>();
        for (var n = 0; n < count; n++)
        {
            var message = await client.NextAsync("message");
            messages.Add($"{message.GetProperty("id").GetString()} {message.GetProperty("seq").GetInt64()}");
        }

        return messages;
    }

    /// <summary>Sends a <c>ping</c>, then reads the answers (not pushed messages or events) up to its <c>pong</c>, described.</summary>
    private static async Task<List<string>> AnswersUntilPongAsync(WsClient client)
    {
        await client.SendAsync(new { type = "ping" });
        var answers = new List<string>();
        JsonElement answer;
        do
        {
            answer = await client.WaitForAsync(f => f.GetProperty("type").GetString() is "ack" or "error" or "history" or "pong");
            answers.Add(Describe(answer));
        }
        while (answer.GetProperty("type").GetString() != "pong");

        return answers;
    }

    private static string Describe(JsonElement frame) => frame.GetProperty("type").GetString() switch
    {
        "ack" => $"ack {frame.GetProperty("id").GetString()} {frame.GetProperty("seq").GetInt64()}",
        "error" => $"error {frame.GetProperty("code").GetString()} {(frame.TryGetProperty("id", out var id) ? id.GetString() : "-")}",
        "history" => HistorySpan(frame),
        var type => type!,
    };

    private static string HistorySpan(JsonElement frame)
    {
        var seqs = frame.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).ToList();
        var consecutive = seqs.Count > 0 && seqs[^1] - seqs[0] == seqs.Count - 1;
        return consecutive ? $"history {seqs[0]}..{seqs[^1]}" : "history " + string.Join(",", seqs);
    }
}
