using System.Diagnostics;
using System.Globalization;
using WeDrawOS.Benchmarks.Cluster;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Benchmarks.Scenarios;

/// <summary>
/// This system in cluster mode (two silo and two front processes on Redis) against SignalR with its Redis backplane on
/// two server processes, driven by the same load clients in this process, one system after the other on a fresh Redis:
/// <list type="bullet">
/// <item>rooms: 200 rooms of 10 members spread over both servers, every member a sender; a window at a fixed rate,
/// a rising rate until p99 passes 100 ms (the ceiling, in deliveries/s), a window at half the ceiling;</item>
/// <item>hot room: one room, a window at 4,000 msg/s and a rising rate into it;</item>
/// <item>broadcast: latency of broadcasts to 10,000 sockets.</item>
/// </list>
/// Sends are open-loop (scheduled by the clock), latency runs from the scheduled time to each member's arrival, a
/// warm-up precedes every measurement, and every acked message is checked at every member by its id.
/// </summary>
public sealed class ClusterScenario : IScenario
{
    public string Name => "cluster";

    public string Description => "cluster mode (2 silos, 2 fronts, Redis) vs SignalR + Redis on 2 servers: room latency and ceiling, hot room, broadcast, acked messages lost (--quick: smoke run)";

    public TimeSpan Budget => TimeSpan.FromMinutes(15);

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var options = ClusterOptions.Parse(Environment.GetCommandLineArgs().Skip(1).ToList());
        var notes = new List<string>();
        var figures = new List<SystemFigures>();
        foreach (var system in options.Systems)
        {
            // The floor has no rooms: it runs only where the broadcast part does.
            var isFloor = system == ClusterOptions.Bare;
            if (isFloor && !options.Parts.Contains(ClusterOptions.BroadcastPart))
            {
                continue;
            }

            // A fresh Redis for each system, and the other system's processes gone: neither runs beside the other.
            await using var redis = await RedisServer.StartAsync();
            var clock = Stopwatch.StartNew();
            await using ISystemUnderTest server = system switch
            {
                ClusterOptions.SignalR => await SignalRCluster.StartAsync(redis, cancellationToken),
                ClusterOptions.Bare => await BareBroadcastCluster.StartAsync(cancellationToken),
                _ => await WeDrawOSCluster.StartAsync(redis, coHosted: system == ClusterOptions.CoHosted, cancellationToken),
            };
            Progress(notes, $"{server.Name}: servers ready after {clock.Elapsed.TotalSeconds:F1} s");
            var measured = new SystemFigures(server.Name, system is ClusterOptions.WeDrawOS or ClusterOptions.CoHosted);
            if (!isFloor && options.Parts.Contains(ClusterOptions.RoomsPart))
            {
                measured.Rooms = await RunRoomsAsync(server, options, notes, cancellationToken);
            }

            if (!isFloor && options.Parts.Contains(ClusterOptions.HotPart))
            {
                measured.Hot = await RunHotRoomAsync(server, options, notes, cancellationToken);
            }

            if (options.Parts.Contains(ClusterOptions.BroadcastPart))
            {
                measured.Broadcast = await RunBroadcastAsync(server, options, notes, cancellationToken);
            }

            figures.Add(measured);
        }

        notes.Add($"load: this process, {(options.Quick ? "quick sizes (--quick)" : "full sizes")}; servers: separate processes (2 silos + 2 fronts; 2 fronts hosting the silos when co-hosted; or 2 SignalR servers; or, for the broadcast floor, 2 bare Kestrel servers posted to at once, without Redis) and a redis-server without persistence; all share the machine's {Environment.ProcessorCount} cores");
        notes.Add("latency: from each message's scheduled send time (open loop, sends never wait for answers) to its arrival at each other member of "
            + "its room; a delivery still missing at the end of a step's drain ranks as infinitely late (∞); warm-up excluded");
        notes.Add("ack: this system acks once the message is stored in Redis; SignalR's invocation completes once the message is published to the backplane (not stored)");
        return new ScenarioResult(Name, ClusterMeasurements.From(figures, options), notes);
    }

    /// <summary>Warm-up, a window at the fixed rate, the ceiling search, a window at half the ceiling.</summary>
    private static async Task<RoomFigures> RunRoomsAsync(ISystemUnderTest server, ClusterOptions options, List<string> notes, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var load = await MessageLoad.ConnectAsync(server, "room-", options.Rooms, options.Members, cancellationToken);
        var label = server.Name + " rooms";
        Progress(notes, $"{label}: {options.Rooms} rooms × {options.Members} members connected and joined in {clock.Elapsed.TotalSeconds:F1} s");
        await WarmUpAsync(label, load, options, notes, cancellationToken);
        var atFixedRate = await WindowAsync($"{label}, fixed rate", load, options.FixedRate, options, notes, cancellationToken);
        var ceiling = await SearchAsync(label, load, options.RoomsSearch, options, notes, cancellationToken);
        var half = ceiling.Ceiling is { } top
            ? await WindowAsync($"{label}, half the ceiling", load, Math.Round(top.Rate / 2), options, notes, cancellationToken)
            : null;
        return new RoomFigures(atFixedRate, ceiling, half, await CountLossAsync(label, load, options, notes, cancellationToken));
    }

    /// <summary>Warm-up, the ceiling search, then the window at 4,000 msg/s (last, so that its backlog, if any, cannot spoil the search).</summary>
    private static async Task<RoomFigures> RunHotRoomAsync(ISystemUnderTest server, ClusterOptions options, List<string> notes, CancellationToken cancellationToken)
    {
        await using var load = await MessageLoad.ConnectAsync(server, "hot-", 1, options.HotMembers, cancellationToken);
        var label = server.Name + " hot room";
        Progress(notes, $"{label}: 1 room × {options.HotMembers} members, every member a sender");
        await WarmUpAsync(label, load, options, notes, cancellationToken);
        var ceiling = await SearchAsync(label, load, options.HotSearch, options, notes, cancellationToken);
        var atFixedRate = await WindowAsync($"{label}, fixed rate", load, options.HotFixedRate, options, notes, cancellationToken);
        return new RoomFigures(atFixedRate, ceiling, null, await CountLossAsync(label, load, options, notes, cancellationToken));
    }

    private static async Task WarmUpAsync(string label, MessageLoad load, ClusterOptions options, List<string> notes, CancellationToken cancellationToken)
    {
        var warmup = await load.RunStepAsync(options.WarmupRate, options.Warmup, options.Drain, cancellationToken);
        Progress(notes, $"{label}, warm-up (not counted): {warmup.Describe()}");
    }

    private static async Task<LoadStepResult> WindowAsync(string label, MessageLoad load, double rate, ClusterOptions options, List<string> notes, CancellationToken cancellationToken)
    {
        var step = await load.RunStepAsync(rate, options.Window, options.Drain, cancellationToken);
        Progress(notes, $"{label}: {step.Describe()}");
        return step;
    }

    private static Task<CeilingResult<LoadStepResult>> SearchAsync(
        string label, MessageLoad load, CeilingSearch search, ClusterOptions options, List<string> notes, CancellationToken cancellationToken) =>
        search.FindAsync(
            async rate =>
            {
                var step = await load.RunStepAsync(rate, options.Step, options.Drain, cancellationToken);
                Progress(notes, $"{label}, rising: {step.Describe()}");
                return step;
            },
            RoomFigures.Sustained);

    private static async Task<LoadLoss> CountLossAsync(string label, MessageLoad load, ClusterOptions options, List<string> notes, CancellationToken cancellationToken)
    {
        var loss = await load.CountLossAsync(options.Drain, cancellationToken);
        var errors = loss.Errors.Count == 0 ? "" : "; errors: " + string.Join(", ", loss.Errors.Select(e => $"{e.Key} × {e.Value}"));
        Progress(notes, string.Create(CultureInfo.InvariantCulture,
            $"{label}, whole run: {loss.Acked:#,0} of {loss.Sent:#,0} messages acked, {loss.LostMessages} acked lost ({loss.LostDeliveries} deliveries; {loss.LostOnSendersServer} missed only on the sender's server, {loss.LostOnOtherServer} only on the other), {loss.Busies} busy answers, {loss.Duplicates} duplicates, {loss.Strays} strays, {loss.ClosedSockets} sockets closed by the server{errors}"));
        return loss;
    }

    private static async Task<BroadcastResult> RunBroadcastAsync(ISystemUnderTest server, ClusterOptions options, List<string> notes, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var load = await BroadcastLoad.ConnectAsync(server, options.BroadcastSockets, cancellationToken);
        Progress(notes, $"{server.Name} broadcast: {load.Sockets:#,0} sockets connected in {clock.Elapsed.TotalSeconds:F1} s");
        var result = await load.RunAsync(server, options.BroadcastWarmup, options.Broadcasts, options.BroadcastInterval, options.Drain, cancellationToken);
        Progress(notes, string.Create(CultureInfo.InvariantCulture,
            $"{server.Name} broadcast: {result.Broadcasts} broadcasts (after {options.BroadcastWarmup} not counted), one every {options.BroadcastInterval.TotalMilliseconds:F0} ms, to {result.Sockets:#,0} sockets: p50 {result.P50:F2} ms, p99 {result.P99:F2} ms, max {result.Max:F1} ms; {result.Missing} deliveries missing, {result.Duplicates} duplicates, {result.ClosedSockets} sockets closed by the server; client CPU {result.ClientCpu:P0} of the machine"));
        return result;
    }

    /// <summary>A line for the notes, printed at once too: a full run takes minutes and says where it is.</summary>
    private static void Progress(List<string> notes, string line)
    {
        Console.WriteLine("  " + line);
        notes.Add(line);
    }
}
