using System.Net;
using System.Text.Json;
using Orleans.Runtime;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Foundation;

/// <summary>Cluster mode on a real Redis: silo and front processes built by their own entry points.</summary>
[Collection(SharedRedisCollection.Name)]
public sealed class RedisClusterTests(SharedRedis redis)
{
    [Fact]
    public async Task Two_silos_and_two_fronts_see_each_other()
    {
        var clusterId = "cluster-" + Guid.NewGuid().ToString("N")[..8];
        await using var siloA = await TestHost.StartSiloAsync(TestHost.ClusterSettings(redis, clusterId));
        await using var siloB = await TestHost.StartSiloAsync(TestHost.ClusterSettings(redis, clusterId));
        await using var front1 = await TestHost.StartFrontAsync(TestHost.ClusterSettings(redis, clusterId));
        await using var front2 = await TestHost.StartFrontAsync(TestHost.ClusterSettings(redis, clusterId));

        foreach (var front in new[] { front1, front2 })
        {
            var status = JsonDocument.Parse(await front.Operator.GetStringAsync("/api/status")).RootElement;
            Assert.Equal("redis", status.GetProperty("mode").GetString());
            Assert.Equal(2, status.GetProperty("silos").GetArrayLength());
            Assert.Equal(HttpStatusCode.OK, (await front.Http.GetAsync("/health/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await front.Http.GetAsync("/dashboard/")).StatusCode);
        }

        foreach (var silo in new[] { siloA, siloB })
        {
            var ready = JsonDocument.Parse(await silo.Operator.GetStringAsync("/health/ready")).RootElement;
            Assert.Equal("2 active silo(s)", ready.GetProperty("services").GetProperty("orleans").GetProperty("description").GetString());
            Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/dashboard/")).StatusCode);
        }
    }

    [Fact]
    public async Task Persisted_state_survives_stopping_the_silo_that_held_it()
    {
        var clusterId = "survive-" + Guid.NewGuid().ToString("N")[..8];
        await using var siloA = await TestHost.StartSiloAsync(TestHost.ClusterSettings(redis, clusterId));
        await using var siloB = await TestHost.StartSiloAsync(TestHost.ClusterSettings(redis, clusterId));
        await using var front = await TestHost.StartFrontAsync(TestHost.ClusterSettings(redis, clusterId));
        var counter = front.GetRequiredService<IClusterClient>().GetGrain<IProbeCounterGrain>("survivor");

        Assert.Equal(1, await counter.Increment());
        Assert.Equal(2, await counter.Increment());
        var holder = await counter.HostSilo();
        var holderHost = new[] { siloA, siloB }.Single(s => s.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString() == holder);

        await holderHost.StopAsync();

        Assert.Equal(3, await counter.Increment());
        Assert.NotEqual(holder, await counter.HostSilo());
    }
}
