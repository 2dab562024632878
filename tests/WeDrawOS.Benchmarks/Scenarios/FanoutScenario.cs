using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.SignalR.Client;
using WeDrawOS.Benchmarks.Baselines;
using WeDrawOS.Benchmarks.Load;

namespace WeDrawOS.Benchmarks.Scenarios;

/// <summary>
/// Room fan-out: N sockets (default 1,000) in one room on one front; one more socket sends M messages as fast
/// as it can; the figure is messages delivered per second across all receivers, until every receiver has all M.
/// The same load runs against a bare Kestrel broadcast loop and a SignalR group in the same process run.
/// </summary>
public sealed class FanoutScenario : IScenario
{
    private const string Room = "fanout";
    private const string Text = "The quick brown fox jumps over the lazy dog / 敏捷的棕色狐狸跳过了懒狗";

    private static readonly int Receivers = Setting("BENCH_FANOUT_CLIENTS", 1000);
    private static readonly int Messages = Setting("BENCH_FANOUT_MESSAGES", 200);

    // Whole rounds sent before the timed ones: the JIT's second tier and what the joins left behind are done by then.
    private static readonly int WarmUpRounds = Setting("BENCH_FANOUT_WARMUP_ROUNDS", 2);
    private static readonly TimeSpan RoundTimeout = TimeSpan.FromSeconds(60);

    public string Name => "fanout";

    public string Description => $"room fan-out to {Receivers} sockets on one front vs bare Kestrel broadcast and SignalR group";

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var bare = Report("bare Kestrel broadcast loop", await MeasureBareAsync(cancellationToken));
        var signalR = Report("SignalR group send", await MeasureSignalRAsync(cancellationToken));
        var ours = Report("WeDrawOS room", await MeasureOursAsync(cancellationToken));
        return new ScenarioResult(Name,
        [
            new("bare Kestrel broadcast loop", bare, "deliveries/s"),
            new("SignalR group send", signalR, "deliveries/s"),
            new("WeDrawOS room", ours, "deliveries/s", "bare Kestrel broadcast loop", ours / bare, "≥ 0.7", ours / bare >= 0.7),
            new("WeDrawOS room ", ours, "deliveries/s", "SignalR group send", ours / signalR, "≥ 1.2", ours / signalR >= 1.2),
        ],
        [
            $"{Receivers} receivers, {Messages} messages of ~{Text.Length} characters per round, best of 2 rounds; clients, servers and the embedded silo share one process and 2 cores",
        ]);
    }

    private static async Task<double> MeasureBareAsync(CancellationToken cancellationToken)
    {
        await using var server = new BareBroadcastServer();
        await server.StartAsync();
        var receivers = await ConnectAsync(Receivers, _ => new CountingSocket("\"type\":\"message\""), (s, _) => s.ConnectAsync(server.SocketUri, cancellationToken));
        await using var sender = new CountingSocket("\"type\":\"message\"");
        await sender.ConnectAsync(server.SocketUri, cancellationToken);
        while (server.Connected < Receivers + 1)
        {
            await Task.Delay(10, cancellationToken);
        }

        try
        {
            return await BestOfRoundsAsync(
                count => receivers.Select(r => r.ExpectAsync(count)),
                i => sender.SendTextAsync(MessageFrame(i), cancellationToken));
        }
        finally
        {
            await DisposeAllAsync(receivers);
        }
    }

    private static async Task<double> MeasureSignalRAsync(CancellationToken cancellationToken)
    {
        await using var server = new SignalRGroupServer();
        await server.StartAsync();
        var receivers = await ConnectAsync(Receivers, _ => new CountingHubClient(server.HubUri), async (c, _) =>
        {
            await c.StartAsync(cancellationToken);
            await c.Connection.InvokeAsync("Join", Room, cancellationToken);
        });
        await using var sender = new CountingHubClient(server.HubUri);
        await sender.StartAsync(cancellationToken);
        try
        {
            return await BestOfRoundsAsync(
                count => receivers.Select(r => r.ExpectAsync(count)),
                i => sender.Connection.SendAsync("Send", Room, MessageFrame(i), cancellationToken));
        }
        finally
        {
            await DisposeAllAsync(receivers);
        }
    }

    private static async Task<double> MeasureOursAsync(CancellationToken cancellationToken)
    {
        await using var front = await WeDrawOSFront.StartAsync();
        var receivers = await ConnectAsync(Receivers, _ => new JoiningSocket(), (s, i) => s.ConnectAndJoinAsync(front.SocketUri($"fan-{i}"), Room, cancellationToken));
        var sender = new JoiningSocket();
        await sender.ConnectAndJoinAsync(front.SocketUri("fan-sender"), Room, cancellationToken);
        var round = 0;
        try
        {
            return await BestOfRoundsAsync(
                count => receivers.Select(r => r.Socket.ExpectAsync(count)),
                i => sender.Socket.SendTextAsync(
                    $"{{\"type\":\"send\",\"id\":\"r{round}-{i}\",\"room\":\"{Room}\",\"data\":{{\"text\":\"{Text}\",\"n\":{i}}}}}",
                    cancellationToken),
                () => round++);
        }
        finally
        {
            await sender.Socket.DisposeAsync();
            await DisposeAllAsync(receivers.Select(r => r.Socket));
        }
    }

    /// <summary>A warm-up message, then two measured rounds; the better round counts (the machine is noisy).</summary>
    private static async Task<double> BestOfRoundsAsync(Func<long, IEnumerable<Task>> expect, Func<int, Task> send, Action? nextRound = null)
    {
        // The warm-up also drains whatever the joins caused (presence events) before timing starts.
        var warm = expect(1).ToArray();
        await send(-1);
        await Task.WhenAll(warm).WaitAsync(RoundTimeout);

        var best = 0.0;
        for (var round = -WarmUpRounds; round < 2; round++)
        {
            nextRound?.Invoke();
            var all = expect(Messages).ToArray();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < Messages; i++)
            {
                await send(i);
            }

            await Task.WhenAll(all).WaitAsync(RoundTimeout);
            if (round >= 0)
            {
                best = Math.Max(best, (double)Receivers * Messages / watch.Elapsed.TotalSeconds);
            }
        }

        return best;
    }

    private static async Task<List<T>> ConnectAsync<T>(int count, Func<int, T> create, Func<T, int, Task> connect)
    {
        var clients = Enumerable.Range(0, count).Select(create).ToList();
        for (var start = 0; start < count; start += 100)
        {
            await Task.WhenAll(clients.Skip(start).Take(100).Select((c, i) => connect(c, start + i)));
        }

        return clients;
    }

    private static async Task DisposeAllAsync<T>(IEnumerable<T> clients) where T : IAsyncDisposable
    {
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    private static double Report(string what, double deliveriesPerSecond)
    {
        Console.WriteLine($"  {what}: {deliveriesPerSecond:N0} deliveries/s");
        return deliveriesPerSecond;
    }

    private static string MessageFrame(int i) =>
        $"{{\"type\":\"message\",\"room\":\"{Room}\",\"data\":{{\"text\":\"{Text}\",\"n\":{i}}}}}";

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
