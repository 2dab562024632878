using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// A real WebSocket client for tests: receives in the background, keeps every frame, and lets a test wait for the
/// next frame that matches a condition (each frame is handed out once).
/// </summary>
public sealed class WsClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket;
    private readonly List<JsonElement> _unread = [];
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _receiver;

    private WsClient(ClientWebSocket socket) => _socket = socket;

    public ClientWebSocket Socket => _socket;

    /// <summary>The close status the server sent (null when the connection broke without one).</summary>
    public Task<WebSocketCloseStatus?> Closed => _closed.Task;

    public static Uri SocketUri(Uri baseAddress, string? token)
    {
        var builder = new UriBuilder(baseAddress) { Scheme = baseAddress.Scheme == "https" ? "wss" : "ws", Path = "/ws" };
        if (token is not null)
        {
            builder.Query = "access_token=" + Uri.EscapeDataString(token);
        }

        return builder.Uri;
    }

    /// <summary>Connects and, when <paramref name="receive"/>, starts reading in the background.</summary>
    public static async Task<WsClient> ConnectAsync(Uri baseAddress, string token, bool receive = true)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(SocketUri(baseAddress, token), CancellationToken.None).WaitAsync(Timeout);
        var client = new WsClient(socket);
        if (receive)
        {
            client.StartReceiving();
        }

        return client;
    }

    /// <summary>Connects and waits for <c>welcome</c>.</summary>
    public static async Task<(WsClient Client, JsonElement Welcome)> ConnectWelcomedAsync(Uri baseAddress, string token)
    {
        var client = await ConnectAsync(baseAddress, token);
        var first = await client.NextAsync();
        Assert.Equal("welcome", first.GetProperty("type").GetString());
        return (client, first);
    }

    /// <summary>Connects and waits for <c>welcome</c>, or gives the HTTP status that refused the upgrade.</summary>
    public static async Task<(WsClient? Client, HttpStatusCode Status)> TryConnectWelcomedAsync(Uri baseAddress, string token)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await socket.ConnectAsync(SocketUri(baseAddress, token), CancellationToken.None).WaitAsync(Timeout);
        }
        catch (WebSocketException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            return (null, status);
        }

        var client = new WsClient(socket);
        client.StartReceiving();
        Assert.Equal("welcome", (await client.NextAsync()).GetProperty("type").GetString());
        return (client, HttpStatusCode.SwitchingProtocols);
    }

    public void StartReceiving() => _receiver ??= Task.Run(ReceiveLoopAsync);

    public Task SendAsync(object frame) => SendTextAsync(JsonSerializer.Serialize(frame));

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The oldest unread frame.</summary>
    public Task<JsonElement> NextAsync() => WaitForAsync(_ => true);

    /// <summary>The oldest unread frame of <paramref name="type"/> (other frames stay unread).</summary>
    public Task<JsonElement> NextAsync(string type, Func<JsonElement, bool>? also = null) =>
        WaitForAsync(f => f.GetProperty("type").GetString() == type && (also is null || also(f)));

    public Task<JsonElement> WaitForAsync(Func<JsonElement, bool> predicate) => WaitForAsync(predicate, Timeout);

    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> predicate, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        while (true)
        {
            Task arrived;
            lock (_lock)
            {
                var index = _unread.FindIndex(f => predicate(f));
                if (index >= 0)
                {
                    var frame = _unread[index];
                    _unread.RemoveAt(index);
                    return frame;
                }

                if (_closed.Task.IsCompleted)
                {
                    throw new InvalidOperationException("the socket closed before the expected frame arrived; unread: " + Describe());
                }

                arrived = _arrived.Task;
            }

            try
            {
                await arrived.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                lock (_lock)
                {
                    throw new TimeoutException("the expected frame did not arrive; unread: " + Describe());
                }
            }
        }
    }

    /// <summary>Unread frames of <paramref name="type"/> right now (for asserting that nothing more came).</summary>
    public List<JsonElement> Unread(string type)
    {
        lock (_lock)
        {
            return _unread.Where(f => f.GetProperty("type").GetString() == type).ToList();
        }
    }

    /// <summary>The close handshake: sends a close frame and waits for the server's.</summary>
    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            await SendCloseAsync(CancellationToken.None).WaitAsync(Timeout);
        }

        await Closed.WaitAsync(Timeout);
    }

    // With the background loop reading, only the close frame is sent here: the loop receives the server's. CloseAsync
    // would receive too, racing the loop for the same bytes (and failing now and then with an unexpected EOF).
    private Task SendCloseAsync(CancellationToken cancellationToken) => _receiver is null
        ? _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken)
        : _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await SendCloseAsync(cts.Token);
                if (_receiver is not null)
                {
                    await Closed.WaitAsync(cts.Token);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        _socket.Abort();
        if (_receiver is not null)
        {
            await _receiver;
        }

        _socket.Dispose();
    }

    private string Describe() => string.Join(" | ", _unread.Select(f => f.GetRawText()));

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult(result.CloseStatus);
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var frame = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                message.SetLength(0);
                lock (_lock)
                {
                    _unread.Add(frame);
                    var arrived = _arrived;
                    _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    arrived.TrySetResult();
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            _closed.TrySetResult(_socket.CloseStatus);
        }
        finally
        {
            lock (_lock)
            {
                _arrived.TrySetResult();
            }
        }
    }
}
