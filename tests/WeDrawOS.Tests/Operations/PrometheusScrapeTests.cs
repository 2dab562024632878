using System.Globalization;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Realtime;
using Xunit.Abstractions;

namespace WeDrawOS.Tests.Operations;

/// <summary>A real Prometheus scrapes a front and a silo of a Redis cluster and reads the figures back through its query API.</summary>
[Collection(SharedRedisCollection.Name)]
public sealed class PrometheusScrapeTests(SharedRedis redis, ITestOutputHelper output)
{
    [Fact]
    public async Task Prometheus_reads_open_sockets_and_delivery_latency_while_messages_flow()
    {
        var clusterId = "ops-prom-" + Guid.NewGuid().ToString("N")[..8];
        await using var silo = await TestHost.StartSiloAsync(TestHost.ClusterSettings(redis, clusterId));
        var frontSettings = TestHost.ClusterSettings(redis, clusterId);
        frontSettings["JWT_SECRET"] = "prometheus-tests-secret-0123456789abcdef";
        await using var front = await TestHost.StartFrontAsync(frontSettings);
        await using var prometheus = await PrometheusServer.StartAsync([("front", front.BaseAddress), ("silo", silo.BaseAddress)], TestHost.ApiKey);

        await using var alice = await front.ConnectAsync("alice");
        await using var bob = await front.ConnectAsync("bob");
        await using var carol = await front.ConnectAsync("carol");
        foreach (var client in new[] { alice, bob, carol })
        {
            await client.JoinAsync("metrics");
        }

        // Messages keep flowing while Prometheus is asked, so that every scrape sees sockets open and deliveries made.
        var sent = 0;
        async Task SendAsync()
        {
            sent++;
            await alice.SendAsync(new { type = "send", id = "m" + sent, room = "metrics", data = sent });
            await bob.NextAsync("message", m => m.GetProperty("seq").GetInt64() == sent);
        }

        const string sockets = "wedrawos_realtime_sockets_open{job=\"front\"}";
        const string deliveries = "wedrawos_realtime_delivery_latency_count{job=\"front\"}";
        const string p99 = "histogram_quantile(0.99, wedrawos_realtime_delivery_latency_bucket{job=\"front\"})";
        const string accepted = "wedrawos_messaging_messages_accepted{job=\"silo\",kind=\"room\"}";
        await Eventually.TrueAsync(async () =>
        {
            await SendAsync();
            return await prometheus.ScalarAsync(sockets) == 3
                && await prometheus.ScalarAsync(deliveries) >= 10
                && await prometheus.ScalarAsync(accepted) >= 5;
        }, TimeSpan.FromSeconds(60), "Prometheus seeing 3 sockets, 10 deliveries and 5 accepted messages");

        var latency = await prometheus.ScalarAsync(p99);
        Assert.NotNull(latency);
        Assert.True(latency >= 0);
        foreach (var query in new[] { sockets, deliveries, p99, accepted, "up" })
        {
            foreach (var (labels, value) in await prometheus.QueryAsync(query))
            {
                output.WriteLine($"{query} -> {{{string.Join(",", labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}} {value.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        output.WriteLine($"{sent} messages sent");
        var delivered = (await prometheus.ScalarAsync(deliveries))!.Value;
        // Each message reaches the two other members (the sender's own socket is skipped), never more than that.
        Assert.True(delivered <= 2 * sent, $"{delivered} deliveries counted for {sent} messages to two readers");
    }
}
