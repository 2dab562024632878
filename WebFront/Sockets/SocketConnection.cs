using System.Net.WebSockets;
using System.Threading.Channels;
using WeDrawOS.WebFront.Auth;

namespace WeDrawOS.WebFront.Sockets;

/// <summary>
/// One accepted socket: who it belongs to, the rooms it joined, and its bounded send queue. Only the writer loop
/// sends on the socket, so frames from many threads never interleave; a full queue means the client reads too
/// slowly, and the socket is closed with 1013 instead of letting memory grow.
/// </summary>
internal sealed class SocketConnection
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly WebSocket _socket;
    private readonly Channel<byte[]> _queue;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<byte[]>? _beforeWelcome = [];
    private (WebSocketCloseStatus Status, string Reason, bool Flush)? _closeRequest;

    public SocketConnection(string id, WebSocket socket, UserIdentity identity, int queueLimit)
    {
        Id = id;
        _socket = socket;
        Identity = identity;
        _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(queueLimit) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public string Id { get; }

    public string UserId => Identity.UserId;

    /// <summary>Replaced by a <c>refresh</c> (same user, later expiry).</summary>
    public UserIdentity Identity { get; set; }

    /// <summary>Rooms this socket joined; touched by its own receive loop and by the registry under its lock.</summary>
    public HashSet<string> Rooms { get; } = new(StringComparer.Ordinal);

    /// <summary>Completes when the socket is done (closed by either side or aborted).</summary>
    public Task Closed => _closed.Task;

    public bool IsClosing => _closeRequest is not null;

    /// <summary>Queues a frame. Before <see cref="Welcome"/> frames wait so that <c>welcome</c> is always first.</summary>
    public void Send(byte[] frame)
    {
        lock (_gate)
        {
            if (_beforeWelcome is not null)
            {
                _beforeWelcome.Add(frame);
                return;
            }

            if (_closeRequest is not null)
            {
                return;
            }

            if (!_queue.Writer.TryWrite(frame))
            {
                CloseLocked(CloseCodes.TryAgainLater, "send queue full: the client reads too slowly", flush: false);
            }
        }
    }

    /// <summary>Queues <c>welcome</c>, then whatever arrived for this socket while it was being registered.</summary>
    public void Welcome(byte[] welcome)
    {
        lock (_gate)
        {
            var waiting = _beforeWelcome ?? [];
            _beforeWelcome = null;
            _queue.Writer.TryWrite(welcome);
            foreach (var frame in waiting)
            {
                if (!_queue.Writer.TryWrite(frame))
                {
                    CloseLocked(CloseCodes.TryAgainLater, "send queue full: the client reads too slowly", flush: false);
                    return;
                }
            }
        }
    }

    /// <summary>Asks the writer loop to close the socket: after the queued frames when <paramref name="flush"/>, else at once.</summary>
    public void Close(WebSocketCloseStatus status, string reason, bool flush)
    {
        lock (_gate)
        {
            _beforeWelcome = null;
            CloseLocked(status, reason, flush);
        }
    }

    /// <summary>Sends queued frames until the socket closes. Runs once per socket.</summary>
    public async Task RunWriterAsync()
    {
        try
        {
            await foreach (var frame in _queue.Reader.ReadAllAsync())
            {
                if (_closeRequest is { Flush: false })
                {
                    break;
                }

                await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }

            if (_closeRequest is { } request && _socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
                await _socket.CloseOutputAsync(request.Status, request.Reason, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _socket.Abort();
        }
        finally
        {
            _closed.TrySetResult();
        }
    }

    private void CloseLocked(WebSocketCloseStatus status, string reason, bool flush)
    {
        if (_closeRequest is not null)
        {
            return;
        }

        _closeRequest = (status, reason, flush);
        _queue.Writer.TryComplete();
        _ = AbortIfStuckAsync();
    }

    // A client that neither reads nor answers the close handshake must not hold the socket (and its memory) forever.
    private async Task AbortIfStuckAsync()
    {
        await Task.WhenAny(_closed.Task, Task.Delay(CloseHandshakeTimeout * 2));
        await Task.Delay(CloseHandshakeTimeout);
        if (_socket.State is not (WebSocketState.Closed or WebSocketState.Aborted))
        {
            _socket.Abort();
        }
    }
}
