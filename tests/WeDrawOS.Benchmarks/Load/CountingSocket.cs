using System.Net.WebSockets;
using System.Text;

namespace WeDrawOS.Benchmarks.Load;

/// <summary>
/// A load-generator WebSocket client that does the same cheap work for every system under test: it reads
/// whole text frames and counts those containing a marker (no JSON parsing, so the client is never the
/// bottleneck that differs between systems). Frames without the marker are kept for handshakes.
/// </summary>
public sealed class CountingSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _marker;
    private readonly Func<string, bool>? _onOtherFrame;
    private Task? _receiveLoop;
    private long _counted;
    private long _target = long.MaxValue;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CountingSocket(string marker, Func<string, bool>? onOtherFrame = null)
    {
        _marker = Encoding.UTF8.GetBytes(marker);
        _onOtherFrame = onOtherFrame;
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
    }

    public ClientWebSocket Socket => _socket;

    public long Counted => Interlocked.Read(ref _counted);

    public async Task ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        await _socket.ConnectAsync(uri, cancellationToken);
        _receiveLoop = Task.Run(ReceiveLoopAsync, CancellationToken.None);
    }

    /// <summary>Completes when <paramref name="count"/> marked frames have arrived since the last reset.</summary>
    public Task ExpectAsync(long count)
    {
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _counted, 0);
        Interlocked.Exchange(ref _target, count);
        return _reached.Task;
    }

    public Task SendTextAsync(string text, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // The server may already be gone; the socket is disposed below either way.
            }
        }

        _socket.Abort();
        _socket.Dispose();
        if (_receiveLoop is not null)
        {
            await _receiveLoop;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage && length < buffer.Length);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var frame = buffer.AsSpan(0, length);
                if (frame.IndexOf(_marker) >= 0)
                {
                    if (Interlocked.Increment(ref _counted) == Interlocked.Read(ref _target))
                    {
                        _reached.TrySetResult();
                    }
                }
                else
                {
                    _onOtherFrame?.Invoke(Encoding.UTF8.GetString(frame));
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Connection ended; counting stops.
        }
    }
}
