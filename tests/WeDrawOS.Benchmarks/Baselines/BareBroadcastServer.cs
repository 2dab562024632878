using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace WeDrawOS.Benchmarks.Baselines;

/// <summary>
/// The practical limit: bare Kestrel WebSockets, no auth, no storage. Every text frame received from any
/// socket is broadcast to all the others from one buffer, through a per-socket queue and writer, which is
/// how a careful hand-written broadcast loop is built. <c>POST /broadcast</c> writes its body to every socket the same
/// way, and <c>GET /ready</c> answers once it listens (the cluster scenario's broadcast floor runs it in a process).
/// </summary>
/// <param name="greeting">A frame each socket gets first, or empty for none.</param>
public sealed class BareBroadcastServer(ReadOnlyMemory<byte> greeting = default) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<WebSocket, Channel<ReadOnlyMemory<byte>>> _sockets = new();
    private WebApplication? _app;

    public Uri SocketUri { get; private set; } = null!;

    public int Connected => _sockets.Count;

    /// <summary>Listens on loopback, on <paramref name="port"/> or (0) a free one.</summary>
    public async Task StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _app = builder.Build();
        _app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        _app.Map("/ws", async (HttpContext context) =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await ServeAsync(socket);
        });
        _app.MapGet("/ready", () => Results.Ok());
        _app.MapPost("/broadcast", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            ReadOnlyMemory<byte> frame = body.ToArray();
            foreach (var queue in _sockets.Values)
            {
                queue.Writer.TryWrite(frame);
            }

            return Results.Accepted();
        });
        await _app.StartAsync();
        SocketUri = new Uri(_app.Urls.First().Replace("http://", "ws://", StringComparison.Ordinal) + "/ws");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task ServeAsync(WebSocket socket)
    {
        var queue = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(4096) { SingleReader = true });
        if (!greeting.IsEmpty)
        {
            queue.Writer.TryWrite(greeting);
        }

        _sockets[socket] = queue;
        var writer = Task.Run(async () =>
        {
            await foreach (var frame in queue.Reader.ReadAllAsync())
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, true, CancellationToken.None);
            }
        });
        // Small frames only (the scenarios send ~150 bytes): a lean server does not hold 64 KB per idle socket.
        var buffer = new byte[4 * 1024];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var frame = buffer.AsSpan(0, result.Count).ToArray();
                foreach (var (other, otherQueue) in _sockets)
                {
                    if (other != socket)
                    {
                        otherQueue.Writer.TryWrite(frame);
                    }
                }
            }
        }
        catch (WebSocketException)
        {
            // Client went away.
        }
        finally
        {
            _sockets.TryRemove(socket, out _);
            queue.Writer.TryComplete();
            await writer.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
