using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace WeDrawOS.Benchmarks.Baselines;

/// <summary>
/// One server of the broadcast floor: bare Kestrel WebSockets in a process of its own
/// (<c>WeDrawOS.Benchmarks __bare-broadcast PORT</c>), no auth, no protocol, no backplane. A socket is greeted with
/// <c>{}</c>; <c>POST /broadcast</c> writes its body, as it came, to every socket of this process through the socket's
/// own queue and writer (the careful hand-written loop of <see cref="BareBroadcastServer"/>). The scenario posts to
/// both servers at once, so what it measures is what writing one frame to every socket costs on this machine and
/// nothing else: the floor under any system's broadcast latency here.
/// </summary>
public static class BareBroadcastFloorServer
{
    public const string Command = "__bare-broadcast";

    private static readonly ReadOnlyMemory<byte> Greeting = "{}"u8.ToArray();

    /// <summary>The server process's main: <c>args</c> are the command and the HTTP port.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var port = int.Parse(args[1], CultureInfo.InvariantCulture);
        var sockets = new ConcurrentDictionary<WebSocket, Channel<ReadOnlyMemory<byte>>>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        await using var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Map("/ws", async (HttpContext context) =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await ServeAsync(socket, sockets);
        });
        app.MapGet("/ready", () => Results.Ok());
        app.MapPost("/broadcast", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            ReadOnlyMemory<byte> frame = body.ToArray();
            foreach (var queue in sockets.Values)
            {
                queue.Writer.TryWrite(frame);
            }

            return Results.Accepted();
        });
        await app.RunAsync();
        return 0;
    }

    private static async Task ServeAsync(WebSocket socket, ConcurrentDictionary<WebSocket, Channel<ReadOnlyMemory<byte>>> sockets)
    {
        var queue = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(64) { SingleReader = true });
        queue.Writer.TryWrite(Greeting);
        sockets[socket] = queue;
        var writer = Task.Run(async () =>
        {
            await foreach (var frame in queue.Reader.ReadAllAsync())
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
            }
        });
        var buffer = new byte[256];
        try
        {
            while ((await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None)).MessageType != WebSocketMessageType.Close)
            {
                // The load clients send nothing after the open; whatever comes is read and dropped.
            }
        }
        catch (WebSocketException)
        {
            // The client went away.
        }
        finally
        {
            sockets.TryRemove(socket, out _);
            queue.Writer.TryComplete();
            await writer.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
