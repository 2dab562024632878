namespace WeDrawOS.Tests.Sockets;

/// <summary>
/// The far end of a WebSocket as bytes: keeps every <c>WriteAsync</c> as one entry, can hold the next write open
/// (a client that stopped reading) or fail it, and serves reads from bytes a test queues.
/// </summary>
public sealed class RecordingStream : Stream
{
    private readonly Lock _lock = new();
    private readonly List<byte[]> _writes = [];
    private readonly Queue<byte[]> _reads = new();
    private TaskCompletionSource? _heldWrite;
    private Exception? _failNextWrite;

    /// <summary>The bytes of each write, in order.</summary>
    public IReadOnlyList<byte[]> Writes
    {
        get
        {
            lock (_lock)
            {
                return _writes.ToArray();
            }
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The next write is recorded at once but completes only when <see cref="ReleaseHeldWrite"/> is called.</summary>
    public void HoldNextWrite()
    {
        lock (_lock)
        {
            _heldWrite = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void ReleaseHeldWrite()
    {
        lock (_lock)
        {
            _heldWrite?.TrySetResult();
            _heldWrite = null;
        }
    }

    /// <summary>The next write throws <paramref name="error"/> synchronously and writes nothing.</summary>
    public void FailNextWrite(Exception error)
    {
        lock (_lock)
        {
            _failNextWrite = error;
        }
    }

    /// <summary>Bytes the next read returns.</summary>
    public void QueueRead(byte[] bytes)
    {
        lock (_lock)
        {
            _reads.Enqueue(bytes);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Task held;
        lock (_lock)
        {
            if (_failNextWrite is { } error)
            {
                _failNextWrite = null;
                throw error;
            }

            _writes.Add(buffer.ToArray());
            held = _heldWrite?.Task ?? Task.CompletedTask;
        }

        return new ValueTask(held);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (buffer.IsEmpty || !_reads.TryDequeue(out var bytes))
            {
                return ValueTask.FromResult(0);
            }

            bytes.CopyTo(buffer);
            return ValueTask.FromResult(bytes.Length);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
