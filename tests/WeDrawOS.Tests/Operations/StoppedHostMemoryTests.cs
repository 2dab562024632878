using System.Runtime.CompilerServices;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Realtime;

namespace WeDrawOS.Tests.Operations;

/// <summary>
/// A stopped host leaves nothing of itself behind in the process: the test run starts hundreds of them, and one that
/// stayed (a silo and a front, ~65 MB) made the test process grow to 10 GB.
/// </summary>
public sealed class StoppedHostMemoryTests
{
    [Fact]
    public async Task A_front_that_served_metrics_is_collected_once_disposed()
    {
        var services = await RunFrontAndDisposeAsync();

        for (var attempt = 0; attempt < 20 && services.IsAlive; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Yield();
        }

        Assert.False(services.IsAlive, "the disposed front's service provider is still referenced");
    }

    /// <summary>
    /// A front with metrics on answers a few requests, is scraped twice (observable instruments are read, the first
    /// scrape's duration shows in the second) and is disposed. No WebSocket: a closed one keeps its connection for a
    /// few seconds more on purpose (it waits for the client's side of the close handshake).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> RunFrontAndDisposeAsync()
    {
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings(("METRICS_ENABLED", "true")));
        for (var i = 0; i < 3; i++)
        {
            (await front.Http.GetAsync("/health/live")).EnsureSuccessStatusCode();
            (await front.Operator.GetAsync("/api/status")).EnsureSuccessStatusCode();
        }

        await front.Operator.GetStringAsync("/metrics");
        var metrics = await front.Operator.GetStringAsync("/metrics");
        Assert.Contains("wedrawos_realtime_sockets_open 0", metrics);
        Assert.Contains("microsoft_aspnetcore_hosting_http_server_request_duration_bucket{", metrics);
        return new WeakReference(front.Services);
    }
}
