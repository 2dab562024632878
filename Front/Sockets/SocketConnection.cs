using System.Net.WebSockets;
using WeDrawOS.Front.Auth;

namespace WeDrawOS.Front.Sockets;

/// <summary>
/// One accepted socket: who it belongs to and its bounded send queue (the rooms it joined are kept by <see cref="RoomMembership"/>). Frames are written by
/// one drain at a time, so frames from many threads never interleave; the drain runs only while frames wait and
/// the queue exists only then, so an idle socket holds neither a writer task nor a queue. A full queue (by frames, or
/// by bytes counted from queueing until written) means the client reads too slowly, and the socket is closed with
/// 1013 instead of letting memory grow.
/// </summary>
internal sealed class SocketConnection
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly WebSocket _socket;
    private readonly int _queueLimit;
    private readonly long _queueMaxBytes;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RealtimeMetrics _metrics;
    private Queue<QueuedFrame>? _queue;
    private long _queuedBytes;
    private bool _draining;
    private List<QueuedFrame>? _beforeWelcome = [];
    private (WebSocketCloseStatus Status, string Reason, bool Flush)? _closeRequest;

    public SocketConnection(string id, WebSocket socket, UserIdentity identity, int queueLimit, long queueMaxBytes, KeepAliveStream? keepAlive, RealtimeMetrics metrics)
    {
        _metrics = metrics;
        Id = id;
        _socket = socket;
        Identity = identity;
        _queueLimit = queueLimit;
        _queueMaxBytes = queueMaxBytes;
        KeepAlive = keepAlive;
    }

    public string Id { get; }

    public string UserId => Identity.UserId;

    /// <summary>Replaced by a <c>refresh</c> (same user, later expiry).</summary>
    public UserIdentity Identity { get; set; }

    /// <summary>Where the token-expiry wheel keeps this socket; owned by <see cref="TokenExpiryWheel"/> under its lock.</summary>
    public long ExpirySlot { get; set; } = TokenExpiryWheel.NotWatched;

    /// <summary>
    /// The stream under the WebSocket that <see cref="KeepAliveSweeper"/> pings through; null when the socket was accepted
    /// without it and keeps the WebSocket's own keep-alive.
    /// </summary>
    public KeepAliveStream? KeepAlive { get; }

    /// <summary>Completes when the socket is done: closed by either side, or aborted.</summary>
    public Task Closed => _closed.Task;

    public bool IsClosing => _closeRequest is not null;

    /// <summary>Queues a frame. Before <see cref="Welcome"/> frames wait so that <c>welcome</c> is always first.</summary>
    public void Send(byte[] frame) => Send(new QueuedFrame(frame, QueuedFrame.NotAMessage));

    /// <summary>Queues a message frame; its delivery latency is measured from <paramref name="acceptedAt"/> to its write.</summary>
    public void Send(byte[] frame, DateTimeOffset acceptedAt) => Send(new QueuedFrame(frame, acceptedAt.UtcTicks));

    private void Send(QueuedFrame frame)
    {
        lock (_gate)
        {
            if (_beforeWelcome is not null)
            {
                _beforeWelcome.Add(frame);
                return;
            }

            EnqueueLocked(frame);
        }
    }

    /// <summary>Queues <c>welcome</c>, then whatever arrived for this socket while it was being registered.</summary>
    public void Welcome(byte[] welcome)
    {
        lock (_gate)
        {
            var waiting = _beforeWelcome ?? [];
            _beforeWelcome = null;
            EnqueueLocked(new QueuedFrame(welcome, QueuedFrame.NotAMessage));
            foreach (var frame in waiting)
            {
                EnqueueLocked(frame);
            }
        }
    }

    /// <summary>Ends the socket at once, without a close handshake: the peer is gone. The receive loop then cleans up.</summary>
    public void Abort() => _socket.Abort();

    /// <summary>Asks the drain to close the socket: after the queued frames when <paramref name="flush"/>, else at once.</summary>
    public void Close(WebSocketCloseStatus status, string reason, bool flush)
    {
        lock (_gate)
        {
            _beforeWelcome = null;
            if (_closeRequest is not null)
            {
                return;
            }

            _closeRequest = (status, reason, flush);
            StartDrainLocked();
        }

        _ = AbortIfStuckAsync();
    }

    private void EnqueueLocked(QueuedFrame frame)
    {
        if (_closeRequest is not null)
        {
            return;
        }

        _queue ??= new Queue<QueuedFrame>();
        if (_queue.Count >= _queueLimit || (_queuedBytes > 0 && _queuedBytes + frame.Bytes.Length > _queueMaxBytes))
        {
            _metrics.SlowReaderClosed();
            _closeRequest = (CloseCodes.TryAgainLater, "send queue full: the client reads too slowly", false);
            StartDrainLocked();
            _ = AbortIfStuckAsync();
            return;
        }

        _queue.Enqueue(frame);
        _queuedBytes += frame.Bytes.Length;
        StartDrainLocked();
    }

    private void StartDrainLocked()
    {
        if (_draining)
        {
            return;
        }

        // Not on the caller's thread: senders hold the registry's lock while they fan a frame out to many sockets.
        _draining = true;
        ThreadPool.UnsafeQueueUserWorkItem(static connection => _ = connection.DrainAsync(), this, preferLocal: false);
    }

    /// <summary>Sends queued frames until none is left, then closes the socket if that was asked for.</summary>
    private async Task DrainAsync()
    {
        // Whatever ends this drain other than an empty queue (a close, a failed send, a bug) ends the socket, and
        // the endpoint waits for Closed before it lets the socket go.
        var ended = true;
        var sent = 0;
        try
        {
            (WebSocketCloseStatus Status, string Reason, bool Flush)? close;
            while (true)
            {
                QueuedFrame frame;
                lock (_gate)
                {
                    close = _closeRequest;
                    if (close is { Flush: false } || _queue is null || !_queue.TryDequeue(out frame))
                    {
                        // The drain ends here. The queue goes with it (an idle socket holds none); after a close
                        // request the drain stays marked as running, so that no other one starts.
                        frame = default;
                        _queue = null;
                        _queuedBytes = 0;
                        _draining = close is not null;
                    }
                }

                if (frame.Bytes is null)
                {
                    break;
                }

                await _socket.SendAsync(frame.Bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                lock (_gate)
                {
                    _queuedBytes -= frame.Bytes.Length;
                }

                sent++;
                if (frame.AcceptedAtTicks != QueuedFrame.NotAMessage)
                {
                    _metrics.Delivered(frame.AcceptedAtTicks);
                }
            }

            if (close is not { } request)
            {
                ended = false;
                return;
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
                await _socket.CloseOutputAsync(request.Status, request.Reason, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            lock (_gate)
            {
                // The socket is gone: later frames are dropped and no drain starts again.
                _closeRequest ??= (WebSocketCloseStatus.EndpointUnavailable, "send failed", false);
                _draining = true;
                _queue = null;
                _queuedBytes = 0;
            }

            _socket.Abort();
        }
        finally
        {
            _metrics.FramesSent(sent);
            if (ended)
            {
                _closed.TrySetResult();
            }
        }
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
