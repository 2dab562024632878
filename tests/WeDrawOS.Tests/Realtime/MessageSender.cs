using System.Collections.Concurrent;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// A socket that sends numbered messages into one room, or to one user, and, as a client does, sends a message again
/// with the same id until it is acked (after <c>busy</c> or <c>unavailable</c>). Keeps the seq of every ack.
/// </summary>
internal sealed class MessageSender
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RetryAfter = TimeSpan.FromMilliseconds(200);

    private readonly WsClient _client;
    private readonly string _name;
    private readonly string? _room;
    private readonly string? _to;

    private MessageSender(WsClient client, string name, string? room, string? to)
    {
        _client = client;
        _name = name;
        _room = room;
        _to = to;
    }

    /// <summary>Seq of each acked message, by id.</summary>
    public ConcurrentDictionary<string, long> Acked { get; } = new();

    public static MessageSender ToRoom(WsClient client, string room, string name) => new(client, name, room, null);

    public static MessageSender ToUser(WsClient client, string userId, string name) => new(client, name, null, userId);

    /// <summary>Sends <paramref name="count"/> messages at once, without waiting for acks, and re-sends those refused until all are acked.</summary>
    public Task SendBurstAsync(int count) => SendBurstAsync(0, count);

    /// <summary>
    /// Sends bursts of <paramref name="size"/> messages (each as <see cref="SendBurstAsync(int)"/>: at once, then
    /// re-sent until acked), the next about <paramref name="interval"/> after the last was acked, until <paramref name="stop"/>.
    /// </summary>
    public async Task SendBurstsAsync(int size, TimeSpan interval, CancellationToken stop)
    {
        for (var first = 0; !stop.IsCancellationRequested; first += size)
        {
            await SendBurstAsync(first, size);
            await Task.Delay(interval);
        }
    }

    private async Task SendBurstAsync(int first, int count)
    {
        var pending = Enumerable.Range(first, count).Select(n => $"{_name}-{n}").ToList();
        while (pending.Count > 0)
        {
            foreach (var id in pending)
            {
                await SendAsync(id);
            }

            var refused = new List<string>();
            foreach (var id in pending)
            {
                if (!await AnsweredWithAckAsync(id))
                {
                    refused.Add(id);
                }
            }

            if (refused.Count > 0)
            {
                // Back off as a client would before it sends again.
                await Task.Delay(RetryAfter);
            }

            pending = refused;
        }
    }

    /// <summary>Sends one message at a time, each about <paramref name="interval"/> after the last ack, until <paramref name="stop"/>.</summary>
    public async Task SendPacedAsync(TimeSpan interval, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var id = $"{_name}-{n}";
            while (true)
            {
                await SendAsync(id);
                if (await AnsweredWithAckAsync(id))
                {
                    break;
                }

                await Task.Delay(RetryAfter);
            }

            await Task.Delay(interval);
        }
    }

    private Task SendAsync(string id) => _room is not null
        ? _client.SendAsync(new { type = "send", id, room = _room, data = id })
        : _client.SendAsync(new { type = "send", id, to = _to, data = id });

    private async Task<bool> AnsweredWithAckAsync(string id)
    {
        var answer = await _client.WaitForAsync(f => f.TryGetProperty("id", out var i) && i.GetString() == id && f.GetProperty("type").GetString() is "ack" or "error", AnswerTimeout);
        if (answer.GetProperty("type").GetString() == "ack")
        {
            Acked[id] = answer.GetProperty("seq").GetInt64();
            return true;
        }

        Assert.Contains(answer.GetProperty("code").GetString(), new[] { "busy", "unavailable" });
        return false;
    }
}
