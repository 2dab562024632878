using System.Globalization;

namespace WeDrawOS.Benchmarks.Baselines;

/// <summary>
/// One server of the broadcast floor: <see cref="BareBroadcastServer"/> in a process of its own
/// (<c>WeDrawOS.Benchmarks __bare-broadcast PORT</c>), greeting each socket with <c>{}</c>; no auth, no protocol, no
/// backplane. The scenario posts each broadcast to both servers at once, so what it measures is what writing one
/// frame to every socket costs on this machine and nothing else: the floor under any system's broadcast latency here.
/// </summary>
public static class BareBroadcastFloorServer
{
    public const string Command = "__bare-broadcast";

    /// <summary>The server process's main: <c>args</c> are the command and the HTTP port; it serves until killed.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        await using var server = new BareBroadcastServer("{}"u8.ToArray());
        await server.StartAsync(int.Parse(args[1], CultureInfo.InvariantCulture));
        await Task.Delay(Timeout.Infinite);
        return 0;
    }
}
