using System.Buffers;

namespace WeDrawOS.Front.Sockets;

/// <summary>
/// The bytes of one incoming frame, in an array rented from the shared pool only while a frame is being read and
/// handled, so that idle sockets hold no buffer of their own. Grows by doubling up to the size asked for.
/// </summary>
internal sealed class PooledFrameBuffer
{
    private const int InitialSize = 4096;

    private byte[]? _array;

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Written => _array is null ? ReadOnlyMemory<byte>.Empty : _array.AsMemory(0, Length);

    /// <summary>Free space after the written bytes, never reaching past <paramref name="limit"/> bytes in all.</summary>
    public Memory<byte> GetMemory(int limit)
    {
        if (_array is null)
        {
            _array = ArrayPool<byte>.Shared.Rent(Math.Min(InitialSize, limit));
        }
        else if (Length == _array.Length && Length < limit)
        {
            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_array.Length * 2, limit));
            _array.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = larger;
        }

        return _array.AsMemory(Length, Math.Min(_array.Length, limit) - Length);
    }

    public void Advance(int count) => Length += count;

    /// <summary>Gives the array back to the pool; the frame must no longer be in use.</summary>
    public void Release()
    {
        if (_array is not null)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = null;
        }

        Length = 0;
    }
}
