using Orleans.Hosting;
using Orleans.Streams;
using Orleans.TestingHost;
using WeDrawOS.Client;
using WeDrawOS.Configuration;
using WeDrawOS.Grains.Interfaces.Streams;
using WeDrawOS.Hosting;

namespace WeDrawOS.Tests.Foundation;

/// <summary>An Orleans test cluster with the project's state and stream wiring (the embedded flavour).</summary>
public sealed class StreamRoundTripTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder();
        builder.ConfigureSilo((_, silo) => silo.AddWeDrawOSState(ClusterMode.Embedded, new RedisOptions()).AddWeDrawOSStreams());
        builder.ConfigureClient(client => client.AddWeDrawOSStreams());
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Grain_activates_and_keeps_its_state()
    {
        var counter = _cluster.Client.GetGrain<IProbeCounterGrain>("activation");

        Assert.Equal(1, await counter.Increment());
        Assert.Equal(2, await counter.Increment());
    }

    [Fact]
    public async Task Event_published_by_a_grain_reaches_a_client_subscriber()
    {
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stream = _cluster.Client.GetStreamProvider(StreamNames.Provider).GetStream<string>(ProbeStreamGrain.StreamFor("round-trip"));
        var subscription = await stream.SubscribeAsync((text, _) =>
        {
            received.TrySetResult(text);
            return Task.CompletedTask;
        });

        await _cluster.Client.GetGrain<IProbeStreamGrain>("round-trip").Publish("hello 你好");

        Assert.Equal("hello 你好", await received.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        await subscription.UnsubscribeAsync();
    }
}
