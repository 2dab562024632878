using System.Globalization;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// Sizes and parts of the <c>cluster</c> scenario, from its command line:
/// <c>cluster [--quick] [--parts rooms,hot,broadcast] [--systems wedrawos,cohosted,signalr,bare] [--rooms N] [--members N]
/// [--hot-members N] [--sockets N] [--rate MSG_PER_S] [--step SECONDS]</c>. <c>--quick</c> is a smoke run of under a minute;
/// the other options override either size. Parts and systems can be run on their own, to repeat one that failed.
/// </summary>
public sealed record ClusterOptions
{
    public const string WeDrawOS = "wedrawos";

    /// <summary>This system with fronts that host the silos (<c>FRONT_HOSTS_SILO</c>): two processes, as many as the baseline's.</summary>
    public const string CoHosted = "cohosted";
    public const string SignalR = "signalr";

    /// <summary>
    /// Bare Kestrel WebSockets on two processes, broadcast part only: the floor under any system's broadcast latency on
    /// this machine (<see cref="BareBroadcastCluster"/>).
    /// </summary>
    public const string Bare = "bare";
    public const string RoomsPart = "rooms";
    public const string HotPart = "hot";
    public const string BroadcastPart = "broadcast";

    public bool Quick { get; init; }

    public IReadOnlyList<string> Systems { get; init; } = [WeDrawOS, CoHosted, SignalR, Bare];

    public IReadOnlyList<string> Parts { get; init; } = [RoomsPart, HotPart, BroadcastPart];

    public int Rooms { get; init; } = 200;

    public int Members { get; init; } = 10;

    /// <summary>
    /// Members of the hot room, all of them senders; each message reaches all but its sender. Both systems answer a
    /// connection's sends one after another, so each sender carries at most one send per round trip: at 8,000 msg/s,
    /// 16 senders need a round trip under 2 ms.
    /// </summary>
    public int HotMembers { get; init; } = 16;

    public int BroadcastSockets { get; init; } = 10_000;

    /// <summary>The fixed rate (msg/s) at which both systems' room latency is measured first.</summary>
    public double FixedRate { get; init; } = 1_000;

    /// <summary>The rate into the hot room at which its latency is reported (the issue's 4,000 msg/s).</summary>
    public double HotFixedRate { get; init; } = 4_000;

    /// <summary>
    /// The warm-up before each workload: enough messages to compile the hot paths and activate the rooms, at a rate low
    /// enough to leave no backlog in either system (a backlog would spill into the first measured step). 30 s, because
    /// tiered compilation goes on long after the first messages: profiled 20 s after start, the JIT took half of this
    /// system's server CPU, and 6 s after a 6 s warm-up the servers still used 0.6 of a core at 20 msg/s (0.15 after
    /// 45 s; docs/performance.md).
    /// </summary>
    public double WarmupRate { get; init; } = 250;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Length of each fixed-rate window (at the fixed rate, at half the ceiling, in the hot room at 4,000 msg/s).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Length of each step of a ceiling search.</summary>
    public TimeSpan Step { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a step waits at most for late answers and deliveries before the next one starts.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(10);

    public CeilingSearch RoomsSearch { get; init; } = new(StartRate: 500, Factor: 1.5, MaxRate: 100_000, Refinements: 2, Attempts: 2);

    public CeilingSearch HotSearch { get; init; } = new(StartRate: 1_000, Factor: 1.5, MaxRate: 50_000, Refinements: 2, Attempts: 2);

    public int BroadcastWarmup { get; init; } = 3;

    public int Broadcasts { get; init; } = 12;

    /// <summary>
    /// Time between broadcasts: long enough for one to reach every socket before the next leaves, so that the figure is
    /// the latency of a broadcast, not the backlog of a stream of them.
    /// </summary>
    public TimeSpan BroadcastInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The smoke-run sizes: a fraction of the sockets, one-second steps, a coarse search.</summary>
    public static ClusterOptions QuickRun { get; } = new()
    {
        Quick = true,
        Rooms = 40,
        HotMembers = 8,
        BroadcastSockets = 1_000,
        FixedRate = 300,
        Warmup = TimeSpan.FromSeconds(1),
        Window = TimeSpan.FromSeconds(2),
        Step = TimeSpan.FromSeconds(1),
        Drain = TimeSpan.FromSeconds(2),
        RoomsSearch = new(StartRate: 500, Factor: 2, MaxRate: 100_000, Refinements: 0),
        HotSearch = new(StartRate: 2_000, Factor: 2, MaxRate: 50_000, Refinements: 0),
        BroadcastWarmup = 2,
        Broadcasts = 6,
        BroadcastInterval = TimeSpan.FromMilliseconds(300),
    };

    /// <summary>Reads the options that follow the scenario's name; other tools' options (<c>--json FILE</c>) are skipped.</summary>
    public static ClusterOptions Parse(IReadOnlyList<string> args)
    {
        var options = args.Contains("--quick") ? QuickRun : new ClusterOptions();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--json")
            {
                // The tool's own option: its file name is not a scenario option.
                i++;
                continue;
            }

            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Count(int min, int max)
            {
                var name = args[i];
                return int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                    ? n
                    : throw new ArgumentException($"{name} takes a whole number from {min} to {max}");
            }

            options = args[i] switch
            {
                "--parts" => options with { Parts = List(Value(), RoomsPart, HotPart, BroadcastPart) },
                "--systems" => options with { Systems = List(Value(), WeDrawOS, CoHosted, SignalR, Bare) },
                "--rooms" => options with { Rooms = Count(1, 2_000) },
                "--members" => options with { Members = Count(2, 32) },
                "--hot-members" => options with { HotMembers = Count(2, 32) },
                "--sockets" => options with { BroadcastSockets = Count(1, 18_000) },
                "--rate" => options with { FixedRate = Count(1, 1_000_000) },
                "--step" => options with { Step = TimeSpan.FromSeconds(Count(1, 60)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(Count(1, 600)) },
                "--quick" => options,
                _ when args[i].StartsWith("--", StringComparison.Ordinal) => throw new ArgumentException($"unknown option {args[i]}"),
                _ => options,
            };
        }

        return options;
    }

    private static string[] List(string value, params string[] allowed)
    {
        var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = items.Except(allowed).ToList();
        return unknown.Count == 0 && items.Length > 0
            ? allowed.Where(items.Contains).ToArray()
            : throw new ArgumentException($"'{value}' is not a list of {string.Join(", ", allowed)}");
    }
}
