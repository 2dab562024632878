using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using WeDrawOS.Benchmarks.Cluster;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Silo;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Realtime;

namespace WeDrawOS.Benchmarks.Scenarios;

/// <summary>
/// A silo process killed with SIGKILL under traffic, in cluster mode on a real Redis: two silo processes, a front
/// (Orleans client) in this process posting to 32 rooms from 16 workers; a post that fails is retried with the same
/// client id. The silo killed is the one hosting more of the rooms, so that rooms have to move. Measures when the
/// membership table declares it dead, how long until every room serves again, the longest any post waited, which
/// errors the failed attempts met, and whether every acked message is in its room's history afterwards.
/// </summary>
public sealed class SiloKillScenario : IScenario
{
    private const int Rooms = 32;
    private const int Workers = 16;
    private const int HistorySize = 1000;
    private static readonly TimeSpan Before = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan After = TimeSpan.FromSeconds(80);

    public string Name => "silo-kill";

    public string Description => "a silo killed with kill -9 under traffic: time until every room serves again, longest wait, acked messages lost";

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        await using var redis = await RedisServer.StartAsync();
        var clusterId = "kill-" + Guid.NewGuid().ToString("N")[..8];
        Dictionary<string, string> Member() => WeDrawOSCluster.MemberSettings(redis, clusterId);

        var siloSettings = new[] { Member(), Member() };
        var silos = siloSettings.Select(settings => HostProcess.Start(typeof(SiloApp).Assembly.Location, settings)).ToArray();
        await using var first = silos[0];
        await using var second = silos[1];
        await using var front = await WeDrawOSCluster.StartFrontInProcessAsync(Member(), "silo-kill-benchmark-secret-0123456789", cancellationToken);
        var cluster = front.Services.GetRequiredService<IClusterClient>();
        while ((await RetryAsync(() => cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true), cancellationToken)).Count < 2)
        {
            await Task.Delay(100, cancellationToken);
        }

        var acked = new ConcurrentBag<(string Room, string Id, long Seq, TimeSpan StartedAt, TimeSpan AckedAt)>();
        var failures = new ConcurrentBag<(string Error, TimeSpan StartedAt, TimeSpan FailedAt)>();
        var clock = Stopwatch.StartNew();
        var killAt = TimeSpan.MaxValue;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var room = RoomName((w + (n * Workers)) % Rooms);
                var id = $"w{w}-{n}";
                var started = clock.Elapsed;
                while (!stop.IsCancellationRequested)
                {
                    var attempt = clock.Elapsed;
                    try
                    {
                        var result = await cluster.GetGrain<IRoomGrain>(room).Post(new OutgoingMessage("bench", id, n.ToString(CultureInfo.InvariantCulture), null), senderIsStaff: true);
                        acked.Add((room, id, result!.Seq, started, clock.Elapsed));
                        break;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // The silo holding the room is gone: retry with the same id, as a client would.
                        failures.Add((e.GetType().Name, attempt, clock.Elapsed));
                        await Task.Delay(50, CancellationToken.None);
                    }
                }

                await Task.Delay(20, CancellationToken.None);
            }
        }, CancellationToken.None)).ToArray();

        await Task.Delay(Before, cancellationToken);

        // Kill the silo that hosts the most rooms (asked per room, so the figure says which rooms had to move).
        var management = cluster.GetGrain<IManagementGrain>(0);
        var roomSilos = new Dictionary<string, int>();
        for (var r = 0; r < Rooms; r++)
        {
            var room = RoomName(r);
            var address = await RetryAsync(async () => await management.GetActivationAddress(cluster.GetGrain<IRoomGrain>(room)), cancellationToken);
            if (address is not null)
            {
                roomSilos[room] = address.Endpoint.Port;
            }
        }

        var ports = siloSettings.Select(settings => int.Parse(settings["SILO_PORT"], CultureInfo.InvariantCulture)).ToArray();
        var doomed = roomSilos.Values.Count(p => p == ports[0]) >= roomSilos.Values.Count(p => p == ports[1]) ? 0 : 1;
        var movedRooms = roomSilos.Where(kv => kv.Value == ports[doomed]).Select(kv => kv.Key).ToHashSet();
        await silos[doomed].KillAsync();
        // Taken once the process is gone: posts started before that may still have been served by it.
        killAt = clock.Elapsed;
        var declaredDead = WhenDeclaredDeadAsync(management, ports[doomed], clock, stop.Token);
        await Task.Delay(After, cancellationToken);
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        var deadAfter = await declaredDead is { } dead ? (dead - killAt).TotalSeconds : double.NaN;

        // Every room serves again once it has acked a post that was started after the kill.
        var servedAgain = acked.Where(a => a.StartedAt > killAt).GroupBy(a => a.Room).Select(g => g.Min(a => a.AckedAt)).ToList();
        var allRoomsBack = servedAgain.Count == Rooms ? (servedAgain.Max() - killAt).TotalSeconds : double.NaN;
        var movedBack = servedAgain.Count == Rooms
            ? acked.Where(a => a.StartedAt > killAt && movedRooms.Contains(a.Room)).GroupBy(a => a.Room).Select(g => (g.Min(a => a.AckedAt) - killAt).TotalSeconds).DefaultIfEmpty(double.NaN).Max()
            : double.NaN;
        var longestWait = acked.Max(a => (a.AckedAt - a.StartedAt).TotalSeconds);

        // Where the wait went: each failed attempt by error, how many, and how long the longest of them hung before failing.
        var failureNotes = failures.Where(f => f.FailedAt > killAt).GroupBy(f => f.Error).OrderBy(g => g.Min(f => f.FailedAt))
            .Select(g => string.Create(CultureInfo.InvariantCulture,
                $"failed attempts after the kill: {g.Count()} × {g.Key}, first {(g.Min(f => f.FailedAt) - killAt).TotalSeconds:F1} s, last {(g.Max(f => f.FailedAt) - killAt).TotalSeconds:F1} s after the kill, longest attempt {g.Max(f => (f.FailedAt - f.StartedAt).TotalSeconds):F1} s"))
            .ToList();

        // History is bounded (ROOM_HISTORY_SIZE, 1,000 by default): an acked post must be there unless 1,000 newer ones pushed it out.
        var lost = 0;
        foreach (var room in acked.GroupBy(a => a.Room))
        {
            var history = (await RetryAsync(() => cluster.GetGrain<IRoomGrain>(room.Key).History(PageRequest.Before(null, HistorySize, int.MaxValue)), cancellationToken)).Messages;
            var stored = history.ToDictionary(m => m.ClientId!, m => m.Seq);
            var newest = history.Count == 0 ? 0 : history[^1].Seq;
            lost += room.Count(a => a.Seq > newest - HistorySize && (!stored.TryGetValue(a.Id, out var seq) || seq != a.Seq));
        }

        await front.StopAsync(CancellationToken.None);
        await silos[1 - doomed].KillAsync();
        return new ScenarioResult(Name,
        [
            new("rooms living on the killed silo (the one hosting more of them)", movedRooms.Count, "rooms", null, null, "> 0 (else nothing was tested)", movedRooms.Count > 0),
            new("killed silo declared dead in the membership table", deadAfter, "s"),
            new("every room serving again after the kill", allRoomsBack, "s", null, null, "≤ 10 s", allRoomsBack <= 10),
            new("…of them, the rooms that lived on the killed silo", movedBack, "s"),
            new("longest wait of one post (with retries)", longestWait, "s"),
            new("posts acked", acked.Count, "messages"),
            new("acked posts missing from history (of those it still holds)", lost, "messages", null, null, "0", lost == 0),
        ],
        [
            .. failureNotes,
            $"{Workers} workers posting to {Rooms} rooms through an Orleans client front; silo processes on Redis clustering and storage; kill after {Before.TotalSeconds:F0} s, {After.TotalSeconds:F0} s more of traffic",
        ]);
    }

    /// <summary>When the membership table first shows the silo on <paramref name="siloPort"/> as dead; null if not before <paramref name="stop"/>.</summary>
    private static async Task<TimeSpan?> WhenDeclaredDeadAsync(IManagementGrain management, int siloPort, Stopwatch clock, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                // Bounded so that a poll lost with the dead silo's connection does not delay the reading.
                var hosts = await management.GetHosts(onlyActive: false).WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
                if (hosts.Any(h => h.Key.Endpoint.Port == siloPort && h.Value == SiloStatus.Dead))
                {
                    return clock.Elapsed;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The management grain may have lived on the killed silo; ask again.
            }

            await Task.Delay(100, CancellationToken.None);
        }

        return null;
    }

    private static string RoomName(int index) => "kill-room-" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Cluster calls while a gateway is starting or gone fail for a moment; the scenario waits them out.</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }
}
