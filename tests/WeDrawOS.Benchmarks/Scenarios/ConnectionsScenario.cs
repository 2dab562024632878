using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using WeDrawOS.Benchmarks.Baselines;
using WeDrawOS.Benchmarks.Load;

namespace WeDrawOS.Benchmarks.Scenarios;

/// <summary>
/// 10,000 idle sockets on one front (clients in a second process): process memory per socket, connect rate
/// (through authentication and the welcome frame), and the CPU an idle front uses while holding them.
/// A bare Kestrel WebSocket server holding the same sockets is measured alongside as the floor.
/// </summary>
public sealed class ConnectionsScenario : IScenario
{
    private static readonly int Sockets = Setting("BENCH_SOCKETS", 10_000);
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(Setting("BENCH_IDLE_SECONDS", 10));

    public string Name => "connections";

    public string Description => $"{Sockets:N0} idle sockets on one front: memory per socket, connect rate, idle CPU (bare Kestrel alongside)";

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        Figures bare;
        await using (var server = new BareBroadcastServer())
        {
            await server.StartAsync();
            bare = await MeasureAsync(server.SocketUri.ToString(), jwtSecret: null, cancellationToken);
        }

        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        Figures ours;
        await using (var front = await WeDrawOSFront.StartAsync(new Dictionary<string, string> { ["JWT_SECRET"] = secret }))
        {
            // Let the co-hosted silo settle before the idle baseline is read.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            ours = await MeasureAsync($"ws://{front.BaseUri.Authority}/ws?access_token={{user}}", secret, cancellationToken);
        }

        return new ScenarioResult(Name,
        [
            new("bare Kestrel: memory per socket", bare.BytesPerSocket / 1024, "KB"),
            new("bare Kestrel: connect rate", bare.ConnectsPerSecond, "sockets/s"),
            new("bare Kestrel: idle CPU holding sockets", bare.IdleCpuPercent, "% of a core"),
            new("WeDrawOS: memory per socket", ours.BytesPerSocket / 1024, "KB", "bare Kestrel: memory per socket", ours.BytesPerSocket / bare.BytesPerSocket, "≤ 16 KB", ours.BytesPerSocket <= 16 * 1024),
            new("WeDrawOS: connect rate", ours.ConnectsPerSecond, "sockets/s", "bare Kestrel: connect rate", ours.ConnectsPerSecond / bare.ConnectsPerSecond, "≥ 2,000/s", ours.ConnectsPerSecond >= 2000),
            new("WeDrawOS: idle CPU holding sockets", ours.IdleCpuPercent, "% of a core", null, null, "≤ 5 %", ours.IdleCpuPercent <= 5),
            new("WeDrawOS: sockets held", ours.Connected, "sockets", null, null, $"{Sockets:N0}", ours.Connected == Sockets),
        ],
        [
            $"memory = growth of the server process's working set while holding the sockets, per socket, each sample after an aggressive full GC; idle CPU over {IdleWindow.TotalSeconds:F0} s with default WS_PING_INTERVAL",
        ]);
    }

    private static async Task<Figures> MeasureAsync(string uri, string? jwtSecret, CancellationToken cancellationToken)
    {
        var before = WorkingSet();
        await using var fleet = await ClientFleet.StartAsync(uri, Sockets, jwtSecret);
        if (fleet.Connected == 0)
        {
            throw new InvalidOperationException($"no socket could connect to {uri.Split('?')[0]}");
        }

        // Connecting leaves work behind (GC, timers started per socket); the idle figure starts after it.
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var after = WorkingSet();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await Task.Delay(IdleWindow, cancellationToken);
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / watch.Elapsed.TotalSeconds * 100;
        var figures = new Figures(fleet.Connected, (double)(after - before) / Math.Max(1, fleet.Connected), fleet.Connected / fleet.Seconds, cpu);
        Console.WriteLine($"  {uri.Split('?')[0]}: {figures}");
        return figures;
    }

    // An aggressive collection also gives back to the system the memory the GC keeps committed for later (it returns
    // free regions gradually otherwise), so the figure is what the sockets hold, not when the GC last decommitted; it
    // moved by ±7 KB per socket between identical runs with a plain collection. Both servers are measured this way.
    private static long WorkingSet()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private sealed record Figures(int Connected, double BytesPerSocket, double ConnectsPerSecond, double IdleCpuPercent);
}
