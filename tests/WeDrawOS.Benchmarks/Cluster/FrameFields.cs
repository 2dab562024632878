using System.Buffers.Text;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// Reads the few fields the load clients need straight from a frame's UTF-8 bytes, without parsing the JSON: the
/// receive loops then cost the same little for every system, and the client stays as far as possible from being the
/// bottleneck. The fields are ones the load itself writes, with keys no other frame field ends with.
/// </summary>
public static class FrameFields
{
    /// <summary>The JSON record separator that ends each SignalR message (a frame may carry several).</summary>
    public const byte RecordSeparator = 0x1e;

    /// <summary>The integer after <paramref name="key"/> (which includes the colon, e.g. <c>"bn":</c>).</summary>
    public static bool TryGetNumber(ReadOnlySpan<byte> record, ReadOnlySpan<byte> key, out long value)
    {
        value = 0;
        var at = record.IndexOf(key);
        return at >= 0 && Utf8Parser.TryParse(record[(at + key.Length)..], out value, out _);
    }

    /// <summary>The message id in the string after <paramref name="key"/> (which includes the opening quote, e.g. <c>"id":"</c>).</summary>
    public static bool TryGetMessageId(ReadOnlySpan<byte> record, ReadOnlySpan<byte> key, out MessageId id)
    {
        id = default;
        var at = record.IndexOf(key);
        return at >= 0 && MessageId.TryParse(record[(at + key.Length)..], out id);
    }

    /// <summary>The string after <paramref name="key"/> (which includes the opening quote), for error codes in notes.</summary>
    public static string? GetString(ReadOnlySpan<byte> record, ReadOnlySpan<byte> key)
    {
        var at = record.IndexOf(key);
        if (at < 0)
        {
            return null;
        }

        var rest = record[(at + key.Length)..];
        var end = rest.IndexOf((byte)'"');
        return System.Text.Encoding.UTF8.GetString(end < 0 ? rest : rest[..end]);
    }
}
