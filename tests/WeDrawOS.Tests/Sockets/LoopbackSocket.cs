using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using WeDrawOS.Front.Auth;
using WeDrawOS.Front.Sockets;

namespace WeDrawOS.Tests.Sockets;

/// <summary>
/// A front's socket without the front: a real TCP connection over loopback, the server side a WebSocket on a
/// <see cref="KeepAliveStream"/> (as Kestrel's upgrade gives it) wrapped in a <see cref="SocketConnection"/> whose
/// receive loop runs, the client side either raw bytes (a client that never answers) or a WebSocket that receives and
/// so answers pings.
/// </summary>
internal sealed class LoopbackSocket : IAsyncDisposable
{
    private readonly TcpClient _server;
    private readonly TcpClient _client;
    private readonly Task _serverReceive;
    private Task? _clientReceive;

    private LoopbackSocket(TcpClient server, TcpClient client, TimeProvider time, ConnectionRegistry registry)
    {
        _server = server;
        _client = client;
        KeepAlive = new KeepAliveStream(server.GetStream(), time);
        ServerSocket = WebSocket.CreateFromStream(KeepAlive, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        var identity = new UserIdentity("user-" + Guid.NewGuid().ToString("N")[..6], null, UserIdentity.Customer, time.GetUtcNow().AddHours(1));
        Connection = new SocketConnection("c-" + Guid.NewGuid().ToString("N"), ServerSocket, identity, queueLimit: 16, queueMaxBytes: 1 << 20, KeepAlive, TestRealtimeMetrics.For(registry));
        _serverReceive = ReceiveUntilClosedAsync(ServerSocket);
    }

    public KeepAliveStream KeepAlive { get; }

    public WebSocket ServerSocket { get; }

    public SocketConnection Connection { get; }

    /// <summary>The client's end as bytes, for a client that never reads with a WebSocket.</summary>
    public NetworkStream ClientStream => _client.GetStream();

    public static async Task<LoopbackSocket> OpenAsync(TimeProvider time, ConnectionRegistry registry)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        var accepting = listener.AcceptTcpClientAsync();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        return new LoopbackSocket(await accepting, client, time, registry);
    }

    /// <summary>Starts a client WebSocket that keeps receiving, which makes it answer every ping with a pong.</summary>
    public void AnswerPings()
    {
        var client = WebSocket.CreateFromStream(ClientStream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        _clientReceive = ReceiveUntilClosedAsync(client);
    }

    public async ValueTask DisposeAsync()
    {
        ServerSocket.Abort();
        _server.Dispose();
        _client.Dispose();
        await _serverReceive;
        if (_clientReceive is not null)
        {
            await _clientReceive;
        }
    }

    private static async Task ReceiveUntilClosedAsync(WebSocket socket)
    {
        var buffer = new byte[1024];
        try
        {
            while ((await socket.ReceiveAsync(buffer, CancellationToken.None)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Aborted by the sweeper or by the test's clean-up.
        }
    }
}
