using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;
using WeDrawOS.Benchmarks.Cluster;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Benchmarks.Scenarios;

/// <summary>
/// A hot inbox in cluster mode: many services (or customers) sending direct messages to one user at once, against the
/// same messages spread over as many users as there are senders, side by side on the same cluster (two fronts hosting
/// the silos, Redis storage). An inbox writes what arrives during a write together (group commit): the figures are
/// messages per second and Redis storage writes per message, counted by Redis itself (<c>INFO commandstats</c>).
/// </summary>
public sealed class InboxScenario : IScenario
{
    private const int Senders = 50;
    private const int Messages = 4_000;
    private const int WarmupMessages = 1_000;

    public string Name => "inbox";

    public string Description => "direct messages through the HTTP API from 50 senders at once: into one inbox vs spread over 50; messages/s and storage writes per message";

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await WeDrawOSCluster.StartAsync(redis, coHosted: true, cancellationToken);
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"{redis.Host}:{redis.Port.ToString(CultureInfo.InvariantCulture)},allowAdmin=true");
        var server = admin.GetServer(redis.Host, redis.Port);

        // Warm-up (not counted): both shapes, so that every grain is active and the code is compiled.
        await SendAsync(cluster, "warm", WarmupMessages, oneInbox: true, cancellationToken);
        await SendAsync(cluster, "warm", WarmupMessages, oneInbox: false, cancellationToken);

        var spread = await MeasureAsync(cluster, server, "spread", oneInbox: false, cancellationToken);
        var hot = await MeasureAsync(cluster, server, "hot", oneInbox: true, cancellationToken);
        notes.Add($"one inbox: {hot.Describe()}");
        notes.Add($"spread over {Senders} inboxes: {spread.Describe()}");
        notes.Add($"{Messages:#,0} messages from {Senders} concurrent HTTP clients (the tool), half through each front; a 503 busy is sent again with the same id after 20 ms; storage writes: Redis EVALSHA calls (the Orleans Redis grain storage writes a state with one script) during the window, membership's own included");

        List<Measurement> measurements =
        [
            new("inbox: one inbox, messages/s", hot.PerSecond, "msg/s", "inbox: spread over 50 inboxes, messages/s", hot.PerSecond / spread.PerSecond),
            new("inbox: spread over 50 inboxes, messages/s", spread.PerSecond, "msg/s"),
            new("inbox: one inbox, storage writes per message", hot.WritesPerMessage, "writes", "inbox: spread over 50 inboxes, storage writes per message", hot.WritesPerMessage / spread.WritesPerMessage),
            new("inbox: spread over 50 inboxes, storage writes per message", spread.WritesPerMessage, "writes"),
            new("inbox: one inbox, busy answers", hot.Busies, "answers"),
        ];
        return new ScenarioResult(Name, measurements, notes);
    }

    private static async Task<Figures> MeasureAsync(WeDrawOSCluster cluster, IServer redis, string prefix, bool oneInbox, CancellationToken cancellationToken)
    {
        var writesBefore = await ScriptCallsAsync(redis);
        var clock = Stopwatch.StartNew();
        var busies = await SendAsync(cluster, prefix, Messages, oneInbox, cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        var writes = await ScriptCallsAsync(redis) - writesBefore;
        return new Figures(Messages / seconds, (double)writes / Messages, busies);
    }

    /// <summary>Sends <paramref name="count"/> direct messages from <see cref="Senders"/> concurrent clients; the busy answers.</summary>
    private static async Task<long> SendAsync(WeDrawOSCluster cluster, string prefix, int count, bool oneInbox, CancellationToken cancellationToken)
    {
        long busies = 0;
        var next = -1;
        async Task SenderAsync(int sender)
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < count)
            {
                var user = oneInbox ? "hot-agent" : "agent-" + sender.ToString(CultureInfo.InvariantCulture);
                var id = $"{prefix}-{n.ToString(CultureInfo.InvariantCulture)}";
                while (!await cluster.TrySendDirectAsync(n % 2, user, id, cancellationToken))
                {
                    Interlocked.Increment(ref busies);
                    await Task.Delay(20, cancellationToken);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Senders).Select(SenderAsync));
        return busies;
    }

    private static async Task<long> ScriptCallsAsync(IServer redis)
    {
        var stats = await redis.InfoAsync("commandstats");
        var evalsha = stats.SelectMany(group => group).FirstOrDefault(pair => pair.Key == "cmdstat_evalsha").Value;
        return evalsha is null ? 0 : long.Parse(evalsha.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture);
    }

    private sealed record Figures(double PerSecond, double WritesPerMessage, long Busies)
    {
        public string Describe() => string.Create(CultureInfo.InvariantCulture,
            $"{PerSecond:#,0} msg/s, {WritesPerMessage:0.00} storage writes per message, {Busies} busy answers");
    }
}
