using System.Net.WebSockets;
using System.Threading.Channels;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// One load client, the same for every system: a WebSocket with an outgoing queue (sends never wait for an answer,
/// so a schedule kept by the clock stays open-loop), and a receive loop that splits frames into records and hands
/// them to an <see cref="IRecordSink"/>. Opening and joining wait for their answer, as a real client does.
/// </summary>
public sealed class LoadSocket : IAsyncDisposable
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket = new();
    private readonly IRealtimeProtocol _protocol;
    private readonly Channel<OutgoingFrame> _outgoing = Channel.CreateUnbounded<OutgoingFrame>(new UnboundedChannelOptions { SingleReader = true });
    private PendingAnswer? _pending;
    private IRecordSink? _sink;
    private Task _receiving = Task.CompletedTask;
    private Task _sending = Task.CompletedTask;

    /// <param name="room">Index of the room the socket is a member of (0 when it joins none).</param>
    /// <param name="member">Index of the socket among its room's members (its bit in delivery masks).</param>
    public LoadSocket(IRealtimeProtocol protocol, int room, int member)
    {
        _protocol = protocol;
        Room = room;
        Member = member;
        // Load frames are small; 10,000 sockets with the default 16 KB buffers would cost the client 300 MB.
        _socket.Options.SetBuffer(4096, 4096);
        // The servers ping; the client answers (the runtime does that while a receive is pending) and sends none.
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
    }

    /// <summary>Reads a record: true when it answers the pending exchange well, false when it refuses it, null when unrelated.</summary>
    public delegate bool? AnswerReader(ReadOnlySpan<byte> record);

    public int Room { get; }

    public int Member { get; }

    /// <summary>False once the server closed or dropped the connection.</summary>
    public bool IsOpen => _socket.State == WebSocketState.Open;

    /// <summary>Connects, sends the protocol's handshake if it has one, and waits until the server says the connection is ready.</summary>
    public async Task OpenAsync(Uri uri, CancellationToken cancellationToken)
    {
        // Expected before the receive loop starts: this system greets first, and the greeting must not slip past.
        var opened = Expect(_protocol.OpenAnswer);
        await _socket.ConnectAsync(uri, cancellationToken);
        _receiving = Task.Run(ReceiveLoopAsync, CancellationToken.None);
        _sending = Task.Run(SendLoopAsync, CancellationToken.None);
        if (_protocol.Handshake is { } handshake)
        {
            Enqueue(handshake, 0, null);
        }

        await WaitAsync(opened, "open", cancellationToken);
    }

    public async Task JoinAsync(string room, CancellationToken cancellationToken)
    {
        var joined = Expect(_protocol.JoinAnswer);
        Enqueue(_protocol.Join(room), 0, null);
        await WaitAsync(joined, "join " + room, cancellationToken);
    }

    /// <summary>From now on every record received goes to <paramref name="sink"/>.</summary>
    public void Attach(IRecordSink sink) => Volatile.Write(ref _sink, sink);

    /// <summary>
    /// Queues a frame; it leaves as soon as the frames before it on this socket have. <paramref name="lag"/>, when given,
    /// records how late it left against <paramref name="scheduledTicks"/> (the client's own delay, charged to latency too).
    /// </summary>
    public void Enqueue(byte[] frame, long scheduledTicks, LatencyHistogram? lag) =>
        _outgoing.Writer.TryWrite(new OutgoingFrame(frame, scheduledTicks, lag));

    public async ValueTask DisposeAsync()
    {
        _outgoing.Writer.TryComplete();
        // Load connections are dropped, not closed with a handshake: thousands of closes would only slow the teardown.
        _socket.Abort();
        await Task.WhenAll(_receiving, _sending);
        _socket.Dispose();
    }

    private PendingAnswer Expect(AnswerReader reader)
    {
        var pending = new PendingAnswer(reader);
        Volatile.Write(ref _pending, pending);
        return pending;
    }

    private static async Task WaitAsync(PendingAnswer pending, string what, CancellationToken cancellationToken)
    {
        var refusal = await pending.Answer.Task.WaitAsync(AnswerTimeout, cancellationToken);
        if (refusal is not null)
        {
            throw new InvalidOperationException($"{what} refused: {refusal}");
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                Dispatch(buffer.AsSpan(0, length));
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Dropped by the server or by the teardown; the sink sees no more records from this socket.
        }
        finally
        {
            _outgoing.Writer.TryComplete();
            Volatile.Read(ref _pending)?.Answer.TrySetResult("the connection ended");
        }
    }

    /// <summary>A frame holds one record, or for SignalR one or more, each ended by the record separator.</summary>
    private void Dispatch(ReadOnlySpan<byte> frame)
    {
        while (!frame.IsEmpty)
        {
            var end = frame.IndexOf(FrameFields.RecordSeparator);
            var record = end < 0 ? frame : frame[..end];
            if (!record.IsEmpty)
            {
                Handle(record);
            }

            frame = end < 0 ? default : frame[(end + 1)..];
        }
    }

    private void Handle(ReadOnlySpan<byte> record)
    {
        if (Volatile.Read(ref _pending) is { } pending && pending.Reader(record) is { } answered)
        {
            Volatile.Write(ref _pending, null);
            pending.Answer.TrySetResult(answered ? null : System.Text.Encoding.UTF8.GetString(record));
            return;
        }

        Volatile.Read(ref _sink)?.OnRecord(this, record);
    }

    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (var frame in _outgoing.Reader.ReadAllAsync())
            {
                frame.Lag?.RecordSince(frame.ScheduledTicks);
                await _socket.SendAsync(frame.Bytes, WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection ended; what was still queued is never sent (and so never acked: the accounting sees it).
        }
    }

    private readonly record struct OutgoingFrame(byte[] Bytes, long ScheduledTicks, LatencyHistogram? Lag);

    /// <summary>An exchange waiting for its answer: the result is null when it went well, else the refusing record.</summary>
    private sealed class PendingAnswer(AnswerReader reader)
    {
        public AnswerReader Reader { get; } = reader;

        public TaskCompletionSource<string?> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
