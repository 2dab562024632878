using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeDrawOS.Benchmarks.Cluster;
using WeDrawOS.Front.Auth;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Silo;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Realtime;

namespace WeDrawOS.Benchmarks.Scenarios;

/// <summary>
/// What the chat additions cost in cluster mode on a real Redis (one silo process, a front in this process): a
/// <c>read</c> frame (the cursor moves in memory, written within a second) against a <c>send</c> (one Redis write
/// before the ack) and a <c>ping</c> (no grain call), one frame at a time over one socket; and a <c>rooms</c> frame
/// for a user in 1,000 rooms.
/// </summary>
public sealed class ChatScenario : IScenario
{
    private const int Frames = 1000;
    private const int ListedRooms = 1000;
    private const int ListRuns = 5;

    public string Name => "chat";

    public string Description => "read receipts (cursor writes gathered) against sends and pings, and the rooms list of a user in 1,000 rooms, cluster mode on Redis";

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        await using var redis = await RedisServer.StartAsync();
        var clusterId = "chat-" + Guid.NewGuid().ToString("N")[..8];
        Dictionary<string, string> Member() => WeDrawOSCluster.MemberSettings(redis, clusterId);
        await using var silo = HostProcess.Start(typeof(SiloApp).Assembly.Location, Member());
        var frontSettings = Member();
        frontSettings["WS_RATE_BURST"] = "1000000";
        frontSettings["WS_RATE_PER_SECOND"] = "1000000";
        await using var front = await WeDrawOSCluster.StartFrontInProcessAsync(frontSettings, "chat-benchmark-secret-0123456789abcdef", cancellationToken);
        var tokens = front.Services.GetRequiredService<TokenService>();
        var uri = new Uri(front.Urls.First().Replace("http", "ws", StringComparison.Ordinal) + "/ws");

        using var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(new Uri(uri + "?access_token=" + tokens.Issue("reader", UserIdentity.Agent, null, TimeSpan.FromHours(1))), cancellationToken);
        await ReceiveAsync(socket, "welcome", cancellationToken);
        await RoundTripAsync(socket, new { type = "join", room = "chat-bench" }, "joined", cancellationToken);

        // Warm-up, then each kind timed over the same socket, one frame at a time.
        for (var i = 0; i < 50; i++)
        {
            await RoundTripAsync(socket, new { type = "send", id = "warm-" + i, room = "chat-bench", data = i }, "ack", cancellationToken);
        }

        var send = await TimeAsync(i => new { type = "send", id = "m-" + i, room = "chat-bench", data = i }, "ack");
        var read = await TimeAsync(i => new { type = "read", room = "chat-bench", seq = 50 + i + 1 }, "receipt");
        var ping = await TimeAsync(_ => new { type = "ping" }, "pong");

        var cluster = front.Services.GetRequiredService<IClusterClient>();
        foreach (var batch in Enumerable.Range(0, ListedRooms).Chunk(100))
        {
            await Task.WhenAll(batch.Select(n => cluster.GetGrain<IRoomGrain>("listed-" + n).Join("reader", isStaff: true, replay: null)));
        }

        // Room grains tell the user grain one-way: wait until all 1,000 are tracked.
        while ((await cluster.GetGrain<Grains.Interfaces.Users.IUserGrain>("reader").Rooms()).Count < ListedRooms)
        {
            await Task.Delay(50, cancellationToken);
        }

        var listWatch = Stopwatch.StartNew();
        var listed = 0;
        for (var run = 0; run < ListRuns; run++)
        {
            using var answer = await RoundTripAsync(socket, new { type = "rooms" }, "rooms", cancellationToken);
            listed = answer.RootElement.GetProperty("rooms").GetArrayLength();
        }

        var list = listWatch.Elapsed.TotalMilliseconds / ListRuns;
        return new ScenarioResult(Name,
        [
            new Measurement("send frame (one Redis write before the ack)", send, "ms"),
            new Measurement("read frame (cursor written within 1 s)", read, "ms", Baseline: "send frame (one Redis write before the ack)", Ratio: read / send),
            new Measurement("ping frame (no grain call)", ping, "ms"),
            new Measurement($"rooms frame, user in {ListedRooms} rooms", list, "ms"),
        ],
        [
            $"{Frames} frames of each kind, one at a time over one socket, mean round trip; cluster mode, one silo process, grain state in Redis",
            $"rooms: mean of {ListRuns} answers listing {listed} rooms (room grains asked 64 at a time)",
        ]);

        async Task<double> TimeAsync(Func<int, object> frame, string answer)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < Frames; i++)
            {
                (await RoundTripAsync(socket, frame(i), answer, cancellationToken)).Dispose();
            }

            return watch.Elapsed.TotalMilliseconds / Frames;
        }
    }

    private static async Task<JsonDocument> RoundTripAsync(ClientWebSocket socket, object frame, string answer, CancellationToken cancellationToken)
    {
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame), WebSocketMessageType.Text, true, cancellationToken);
        return await ReceiveAsync(socket, answer, cancellationToken);
    }

    /// <summary>The next frame of type <paramref name="type"/> (others, such as receipts of this reader's moves, are skipped).</summary>
    private static async Task<JsonDocument> ReceiveAsync(ClientWebSocket socket, string type, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            var document = JsonDocument.Parse(message.ToArray());
            message.SetLength(0);
            var received = document.RootElement.GetProperty("type").GetString();
            if (received == type)
            {
                return document;
            }

            document.Dispose();
            if (received == "error")
            {
                throw new InvalidOperationException("the front answered with an error instead of " + type);
            }
        }
    }
}
