using System.Globalization;
using WeDrawOS.Benchmarks.Load;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// Two baseline servers, each this tool started again with a server command (<c>COMMAND PORT [ARGS]</c>) on a free
/// port and serving <c>GET /ready</c>; stopped when disposed.
/// </summary>
public sealed class ToolServers : IAsyncDisposable
{
    private readonly ChildProcess[] _processes;
    private readonly int[] _ports;

    private ToolServers(ChildProcess[] processes, int[] ports)
    {
        _processes = processes;
        _ports = ports;
    }

    public int Count => _processes.Length;

    /// <summary>Starts both servers and waits until each answers <c>/ready</c>.</summary>
    public static async Task<ToolServers> StartAsync(string name, string command, IReadOnlyList<string> arguments, HttpClient http, CancellationToken cancellationToken)
    {
        var ports = new[] { FreePort.Next(), FreePort.Next() };
        var processes = ports.Select(port => ChildProcess.Start(BenchmarkProcess.StartInfo(
            [command, port.ToString(CultureInfo.InvariantCulture), .. arguments]))).ToArray();
        var servers = new ToolServers(processes, ports);
        try
        {
            for (var i = 0; i < processes.Length; i++)
            {
                var process = processes[i];
                var ready = servers.Address(i, "/ready");
                await Readiness.WaitAsync($"{name} server {i}", () => process.HasExited,
                    async () => (await http.GetAsync(ready, cancellationToken)).IsSuccessStatusCode, cancellationToken);
            }
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }

        return servers;
    }

    /// <summary>The HTTP address of <paramref name="path"/> on <paramref name="server"/>.</summary>
    public Uri Address(int server, string path) => new($"http://127.0.0.1:{_ports[server].ToString(CultureInfo.InvariantCulture)}{path}");

    /// <summary>The WebSocket address of <paramref name="path"/> on <paramref name="server"/>.</summary>
    public Uri SocketAddress(int server, string path) => new($"ws://127.0.0.1:{_ports[server].ToString(CultureInfo.InvariantCulture)}{path}");

    public TimeSpan ProcessorTime() => _processes.Aggregate(TimeSpan.Zero, (sum, process) => sum + process.ProcessorTime());

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }
}
