using WeDrawOS.Hosting.Telemetry;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Realtime;

namespace WeDrawOS.Tests.Operations;

/// <summary>What a front's <c>/metrics</c> publishes, and what it leaves out on purpose.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Kestrels_per_buffer_memory_pool_counters_are_not_published_while_its_connection_metrics_are()
    {
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings(("METRICS_ENABLED", "true")));
        await using (var alice = await front.ConnectAsync("alice"))
        {
            await alice.JoinAsync("metrics");
            await alice.SendAsync(new { type = "send", id = "m1", room = "metrics", data = "你好 / hello" });
            await alice.NextAsync("ack");
        }

        var metrics = await front.Operator.GetStringAsync("/metrics");

        Assert.Contains("microsoft_aspnetcore_server_kestrel_", metrics, StringComparison.Ordinal);
        Assert.Contains("wedrawos_messaging_messages_accepted", metrics, StringComparison.Ordinal);
        var prefix = PrometheusMeterBridge.PrometheusName(PrometheusMeterBridge.KestrelMemoryPoolMeter);
        Assert.DoesNotContain(metrics.Split('\n'), line => line.Contains(prefix, StringComparison.Ordinal));
    }
}
