namespace WeDrawOS.Front.Sockets;

/// <summary>
/// Kestrel's upgraded stream as the WebSocket sees it, with what the front-wide <see cref="KeepAliveSweeper"/> needs:
/// the time of the last read that brought bytes (any frame from the client, a pong included, proves it alive), and a
/// way to put a server ping on the wire between two frames of the WebSocket. ManagedWebSocket writes each frame
/// with one <c>WriteAsync</c> of the whole frame (KeepAliveStreamTests fails if a runtime update changes that), so a
/// ping written while no write is in progress never splits one, and the first byte of a write is a frame header.
/// Once the close frame is written, nothing else is.
/// </summary>
internal sealed class KeepAliveStream : Stream
{
    // FIN + opcode 0x9 (ping), unmasked as a server frame must be, no payload.
    private static readonly ReadOnlyMemory<byte> PingFrame = new byte[] { 0x89, 0x00 };

    private const byte OpcodeMask = 0x0F;
    private const byte CloseOpcode = 0x8;

    private readonly Stream _inner;
    private readonly TimeProvider _time;

    // Serializes the WebSocket's writes with the sweeper's pings; the sweeper never waits for it.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private long _lastRead;
    private long _lastPing;
    private bool _closeSent;

    // 1 while a requested ping waits for the write gate; whoever frees the gate next writes it.
    private int _pingPending;

    public KeepAliveStream(Stream inner, TimeProvider time)
    {
        _inner = inner;
        _time = time;
        _lastRead = time.GetTimestamp();
        _lastPing = _lastRead;
    }

    /// <summary>Timestamp (<see cref="TimeProvider.GetTimestamp"/>) of the last read that returned bytes, or of the upgrade.</summary>
    public long LastRead => Volatile.Read(ref _lastRead);

    /// <summary>Timestamp of the last ping requested (<see cref="RequestPing"/>), or of the upgrade.</summary>
    public long LastPing => Volatile.Read(ref _lastPing);

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Puts a ping on the wire: at once when no write is in progress, else right after the write in progress, so a
    /// busy socket is pinged as surely as an idle one. Never waits: a client that does not read must not hold up the
    /// sweep. <see cref="LastPing"/> is set either way, so the client's time to answer counts from the request.
    /// False when the close frame was sent (nothing may follow it; the close handshake is the answer awaited then).
    /// </summary>
    public bool RequestPing()
    {
        Volatile.Write(ref _lastPing, _time.GetTimestamp());
        if (Volatile.Read(ref _closeSent))
        {
            return false;
        }

        Volatile.Write(ref _pingPending, 1);
        WritePendingPing();
        return true;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken);
        // The receive loop waits with zero-byte reads, which say nothing about the client.
        if (read > 0)
        {
            Volatile.Write(ref _lastRead, _time.GetTimestamp());
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("the WebSocket reads asynchronously");

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            if (_closeSent)
            {
                // Nothing may follow the close frame (RFC 6455 5.5.1). ManagedWebSocket checks its state before it waits
                // for its send lock, so a frame sent while a close was on its way (the WebSocket's receive side closes on
                // a protocol error while the drain sends) would otherwise be written after the close frame.
                return;
            }

            if (!buffer.IsEmpty && (buffer.Span[0] & OpcodeMask) == CloseOpcode)
            {
                Volatile.Write(ref _closeSent, true);
            }

            await _inner.WriteAsync(buffer, cancellationToken);
        }
        finally
        {
            ReleaseGate();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the WebSocket writes asynchronously");

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        // Kestrel's output must not be flushed while a ping is being written to it.
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            await _inner.FlushAsync(cancellationToken);
        }
        finally
        {
            ReleaseGate();
        }
    }

    public override void Flush() => throw new NotSupportedException("the WebSocket flushes asynchronously");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>
    /// Writes a requested ping if the gate is free; otherwise the gate's holder does when it releases it. Both sides
    /// set or read <see cref="_pingPending"/> before they try the gate, so a ping is never left waiting on a free gate.
    /// </summary>
    private void WritePendingPing()
    {
        if (Volatile.Read(ref _pingPending) == 0 || !_writeGate.Wait(0))
        {
            return;
        }

        if (Interlocked.Exchange(ref _pingPending, 0) == 0 || Volatile.Read(ref _closeSent))
        {
            ReleaseGate();
            return;
        }

        ValueTask write;
        try
        {
            write = _inner.WriteAsync(PingFrame);
        }
        catch (Exception)
        {
            // A ping that cannot be written means a connection going away: the receive loop or the sweeper ends it.
            // Whatever the reason, the gate must not stay taken, or every later write of the socket would wait forever.
            ReleaseGate();
            return;
        }

        if (write.IsCompleted)
        {
            ObserveAndRelease(write);
        }
        else
        {
            _ = ReleaseWhenWrittenAsync(write);
        }
    }

    private void ReleaseGate()
    {
        _writeGate.Release();
        WritePendingPing();
    }

    private async Task ReleaseWhenWrittenAsync(ValueTask write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // As above: a failed ping means a dead connection, which the sweeper or the receive loop ends.
        }
        finally
        {
            ReleaseGate();
        }
    }

    private void ObserveAndRelease(ValueTask write)
    {
        try
        {
            write.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // As above.
        }
        finally
        {
            ReleaseGate();
        }
    }
}
