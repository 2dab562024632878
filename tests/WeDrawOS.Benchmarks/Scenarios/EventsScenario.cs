using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using WeDrawOS.Benchmarks.Cluster;
using WeDrawOS.Benchmarks.Load;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Streams;

namespace WeDrawOS.Benchmarks.Scenarios;

/// <summary>
/// Whether the one events stream (<see cref="StreamNames.EventsStream"/>, one stream id, so one queue of the memory stream
/// provider) keeps up with 10,000 events a second and more: events published one call each (as grains publish them when
/// every write stores one message), open loop, to one subscriber, on an embedded front (the silos' stream provider is
/// the same in cluster mode). Reports what arrived and how late, at each rate.
/// </summary>
public sealed class EventsScenario : IScenario
{
    private static readonly double[] Rates = [10_000, 20_000];
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(30);

    public string Name => "events";

    public string Description => "events stream: one subscriber, 10,000 and 20,000 events/s published one by one; delivered and lag p50/p99";

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var measurements = new List<Measurement>();
        var notes = new List<string>();
        await using var front = await WeDrawOSFront.StartAsync();
        var stream = front.Services.GetRequiredService<IClusterClient>().GetStreamProvider(StreamNames.Provider).GetStream<RealtimeEvent>(StreamNames.EventsStream);
        foreach (var rate in Rates)
        {
            var lag = new LatencyHistogram();
            var tag = "bench-" + rate.ToString(CultureInfo.InvariantCulture);
            var subscription = await stream.SubscribeAsync((e, _) =>
            {
                if (e.UserId == tag)
                {
                    lag.RecordMicroseconds((long)((DateTimeOffset.UtcNow - e.Ts).TotalMicroseconds));
                }

                return Task.CompletedTask;
            });

            var publishing = Stopwatch.StartNew();
            var (published, failed) = await PublishAsync(stream, tag, rate, cancellationToken);
            var publishSeconds = publishing.Elapsed.TotalSeconds;
            var deadline = Stopwatch.StartNew();
            while (lag.Count < published && deadline.Elapsed < Drain)
            {
                await Task.Delay(100, cancellationToken);
            }

            await subscription.UnsubscribeAsync();
            var label = $"{rate:#,0} events/s";
            measurements.Add(new Measurement($"events delivered at {label}", lag.Count, "events", Target: $"{published:#,0} published", Met: lag.Count == published));
            measurements.Add(new Measurement($"events lag p50 at {label}", lag.Percentile(0.50), "ms"));
            measurements.Add(new Measurement($"events lag p99 at {label}", lag.Percentile(0.99), "ms"));
            notes.Add($"{label}: {published:#,0} published in {publishSeconds:F1} s (window {Window.TotalSeconds:F0} s; {failed} publish calls failed), {lag.Count:#,0} delivered, max lag {lag.MaxMilliseconds:F1} ms");
        }

        notes.Add("lag: from the event's timestamp at publication to the subscriber's callback, same process; STREAM_PULL_PERIOD_MS (100 ms) is the pulling agent's wait when it finds its queue empty");
        return new ScenarioResult(Name, measurements, notes);
    }

    /// <summary>Publishes at <paramref name="rate"/> for the window, one call per event, not waiting for each (open loop).</summary>
    private static async Task<(long Published, long Failed)> PublishAsync(IAsyncStream<RealtimeEvent> stream, string tag, double rate, CancellationToken cancellationToken)
    {
        var total = (long)(rate * Window.TotalSeconds);
        var interval = Stopwatch.Frequency / rate;
        var clock = Stopwatch.StartNew();
        var calls = new List<Task>((int)total);
        long failed = 0;
        for (long n = 0; n < total; n++)
        {
            var due = (long)(n * interval);
            if (due - clock.ElapsedTicks > Stopwatch.Frequency / 1000)
            {
                await Task.Delay(1, cancellationToken);
            }

            var message = new ChatMessage("bench-room-" + (n % 100), n, tag, null, "1", DateTimeOffset.UtcNow, null);
            calls.Add(stream.OnNextAsync(new RealtimeEvent(RealtimeEventKinds.Message, tag, message.Room, null, message, message.Ts)));
        }

        foreach (var call in calls)
        {
            try
            {
                await call;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed++;
            }
        }

        return (total - failed, failed);
    }
}
