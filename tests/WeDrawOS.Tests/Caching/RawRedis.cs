using System.Diagnostics;
using StackExchange.Redis;

namespace WeDrawOS.Tests.Caching;

/// <summary>A plain StackExchange.Redis connection to look at what the cache service really stored.</summary>
internal sealed class RawRedis : IAsyncDisposable
{
    private RawRedis(ConnectionMultiplexer multiplexer) => Multiplexer = multiplexer;

    public ConnectionMultiplexer Multiplexer { get; }

    public IDatabase Db => Multiplexer.GetDatabase();

    public static async Task<RawRedis> ConnectAsync(string host, int port) =>
        new(await ConnectionMultiplexer.ConnectAsync($"{host}:{port},abortConnect=false,connectTimeout=2000"));

    /// <summary>How many times Redis ran <paramref name="command"/> (from INFO commandstats).</summary>
    public async Task<long> CommandCallsAsync(string command)
    {
        var info = (string)(await Db.ExecuteAsync("INFO", "commandstats"))!;
        var line = info.Split('\n').FirstOrDefault(l => l.StartsWith($"cmdstat_{command}:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split("calls=")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The redis-server's process id, to freeze it with SIGSTOP.</summary>
    public async Task<int> ProcessIdAsync()
    {
        var info = (string)(await Db.ExecuteAsync("INFO", "server"))!;
        var line = info.Split('\n').First(l => l.StartsWith("process_id:", StringComparison.Ordinal));
        return int.Parse(line["process_id:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Sends a signal with the system's <c>kill</c> (SIGSTOP freezes a server without closing its sockets).</summary>
    public static async Task SignalAsync(int processId, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {processId}") { UseShellExecute = false })!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    public async ValueTask DisposeAsync() => await Multiplexer.DisposeAsync();
}
