using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WeDrawOS.Front.Auth;

namespace WeDrawOS.Benchmarks.Load;

/// <summary>
/// Many idle WebSocket clients in a process of their own (the server's sockets and the clients' would not
/// fit one process's file-descriptor limit). Started by <see cref="StartAsync"/> as
/// <c>WeDrawOS.Benchmarks __clients URI COUNT</c>; prints <c>connected N SECONDS</c>, holds the sockets
/// (answering pings) until its standard input closes, then closes them.
/// </summary>
public sealed class ClientFleet : IAsyncDisposable
{
    public const string Command = "__clients";
    private const string SecretVariable = "BENCH_JWT_SECRET";

    private readonly Process _process;

    private ClientFleet(Process process, int connected, double seconds)
    {
        _process = process;
        Connected = connected;
        Seconds = seconds;
    }

    public int Connected { get; }

    public double Seconds { get; }

    /// <summary>Starts the client process and waits until it has connected all clients (or given up).</summary>
    /// <param name="uri">Socket address; <c>{user}</c> is replaced by a token for user <c>u{i}</c> when <paramref name="jwtSecret"/> is given.</param>
    public static async Task<ClientFleet> StartAsync(string uri, int count, string? jwtSecret)
    {
        var start = BenchmarkProcess.StartInfo(Command, uri, count.ToString(CultureInfo.InvariantCulture));
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        if (jwtSecret is not null)
        {
            start.Environment[SecretVariable] = jwtSecret;
        }

        var process = Process.Start(start)!;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            var parts = line.Split(' ');
            if (parts is ["connected", var n, var s])
            {
                return new ClientFleet(process, int.Parse(n, CultureInfo.InvariantCulture), double.Parse(s, CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidOperationException("the client process ended before connecting");
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    /// <summary>The client process's main.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var template = args[1];
        var count = int.Parse(args[2], CultureInfo.InvariantCulture);
        var secret = Environment.GetEnvironmentVariable(SecretVariable);
        var tokens = secret is null ? null : new TokenService(Options.Create(new AuthOptions { JwtSecret = secret }), NullLogger<TokenService>.Instance);
        var sockets = new ClientWebSocket[count];
        var receives = new Task[count];
        var watch = Stopwatch.StartNew();
        var connected = 0;
        using (var gate = new SemaphoreSlim(200))
        {
            await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    var uri = tokens is null ? template : template.Replace("{user}", Uri.EscapeDataString(tokens.Issue($"u{i}", UserIdentity.Customer, null, TimeSpan.FromHours(1))), StringComparison.Ordinal);
                    var socket = new ClientWebSocket();
                    socket.Options.SetBuffer(1024, 1024);
                    socket.Options.KeepAliveInterval = TimeSpan.Zero;
                    await socket.ConnectAsync(new Uri(uri), CancellationToken.None);
                    sockets[i] = socket;
                    var buffer = new byte[1024];
                    if (tokens is not null)
                    {
                        // This system greets first: a connection counts once its welcome has arrived.
                        await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    }

                    receives[i] = DrainAsync(socket, buffer);
                    Interlocked.Increment(ref connected);
                }
                catch (Exception e) when (e is WebSocketException or HttpRequestException)
                {
                    receives[i] = Task.CompletedTask;
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        Console.WriteLine($"connected {connected} {watch.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture)}");
        await Console.In.ReadToEndAsync();
        foreach (var socket in sockets)
        {
            socket?.Abort();
        }

        await Task.WhenAll(receives.Where(r => r is not null));
        return 0;
    }

    /// <summary>Keeps a receive pending so the client answers pings, as an idle browser tab does.</summary>
    private static async Task DrainAsync(ClientWebSocket socket, byte[] buffer)
    {
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Aborted at the end of the run.
        }
    }
}
