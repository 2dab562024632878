using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using WeDrawOS.Front.Sockets;

namespace WeDrawOS.Tests.Sockets;

/// <summary>The front's realtime instruments over a meter factory of their own, for sockets built without a front.</summary>
internal static class TestRealtimeMetrics
{
    private static readonly IMeterFactory Meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public static RealtimeMetrics For(ConnectionRegistry registry) => new(Meters, registry);
}
