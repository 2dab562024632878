using Orleans.Runtime;
using WeDrawOS.Grains.Interfaces.Streams;

namespace WeDrawOS.Tests.Foundation;

// Grains that exist only to exercise the hosting: state storage, placement and streams.

public interface IProbeCounterGrain : IGrainWithStringKey
{
    Task<int> Increment();

    Task<string> HostSilo();
}

[GenerateSerializer]
public sealed class ProbeCounterState
{
    [Id(0)]
    public int Count { get; set; }
}

public sealed class ProbeCounterGrain(
    [PersistentState("counter")] IPersistentState<ProbeCounterState> state,
    ILocalSiloDetails silo) : Grain, IProbeCounterGrain
{
    public async Task<int> Increment()
    {
        state.State.Count++;
        await state.WriteStateAsync();
        return state.State.Count;
    }

    public Task<string> HostSilo() => Task.FromResult(silo.SiloAddress.ToParsableString());
}

public interface IProbeStreamGrain : IGrainWithStringKey
{
    Task Publish(string text);
}

public sealed class ProbeStreamGrain : Grain, IProbeStreamGrain
{
    public static StreamId StreamFor(string key) => StreamId.Create("probe", key);

    public Task Publish(string text) =>
        this.GetStreamProvider(StreamNames.Provider).GetStream<string>(StreamFor(this.GetPrimaryKeyString())).OnNextAsync(text);
}
