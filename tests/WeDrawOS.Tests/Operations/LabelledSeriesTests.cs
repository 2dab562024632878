using System.Diagnostics.Metrics;
using System.Text;
using Prometheus;
using WeDrawOS.Hosting.Telemetry;

namespace WeDrawOS.Tests.Operations;

/// <summary>
/// A labelled instrument (Orleans' per-message ones) as <c>/metrics</c> publishes it: a label set measured before goes
/// straight to the child series it holds a lease on; past the few a series holds, each measurement takes its own
/// lease; either way every measurement counts, and idle children give their leases back.
/// </summary>
public sealed class LabelledSeriesTests
{
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly IManagedLifetimeMetricFactory _factory;

    public LabelledSeriesTests() => _factory = Metrics.WithCustomRegistry(_registry).WithManagedLifetime(TimeSpan.FromDays(1));

    [Fact]
    public async Task Every_measurement_counts_whether_its_label_set_is_held_or_not()
    {
        using var meter = new Meter("WeDrawOS.Tests.Labelled");
        var frames = LabelledInstrument.For(meter.CreateCounter<long>("frames"), _factory, "test_frames", _ => [])!;

        // The same label set with tag values that are equal but not the same objects (a boxed int each time), and in
        // another tag order (another series of the instrument, the same Prometheus child).
        for (var i = 0; i < 100; i++)
        {
            frames.Record(1, [new("kind", "push"), new("code", 200)]);
        }

        frames.Record(5, [new("code", 200), new("kind", "push")]);

        // More label sets than a series holds.
        for (var k = 0; k < 40; k++)
        {
            frames.Record(1, [new("kind", $"k{k}"), new("code", 200)]);
            frames.Record(2, [new("kind", $"k{k}"), new("code", 200)]);
        }

        Assert.InRange(frames.HeldCount, 2, 32);
        var text = await ScrapeAsync();
        Assert.Contains("test_frames{code=\"200\",kind=\"push\"} 105", text);
        for (var k = 0; k < 40; k++)
        {
            Assert.Contains($"test_frames{{code=\"200\",kind=\"k{k}\"}} 3", text);
        }
    }

    [Fact]
    public async Task Released_children_keep_their_counts_and_are_held_again_when_measured()
    {
        using var meter = new Meter("WeDrawOS.Tests.Labelled");
        var latency = LabelledInstrument.For(meter.CreateHistogram<double>("latency", "ms"), _factory, "test_latency", _ => [1, 10, 100])!;

        latency.Record(5, [new("grain", "room")]);
        latency.ReleaseIdle(TimeSpan.FromMinutes(5));
        Assert.Equal(1, latency.HeldCount);

        latency.ReleaseAll();
        Assert.Equal(0, latency.HeldCount);

        latency.Record(50, [new("grain", "room")]);
        Assert.Equal(1, latency.HeldCount);
        var text = await ScrapeAsync();
        Assert.Contains("test_latency_count{grain=\"room\"} 2", text);
        Assert.Contains("test_latency_bucket{grain=\"room\",le=\"10\"} 1", text);
    }

    private async Task<string> ScrapeAsync()
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
