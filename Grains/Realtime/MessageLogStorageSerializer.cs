using Orleans.Serialization;
using Orleans.Storage;
using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Realtime;

/// <summary>
/// The storage serializer of the realtime states. A <see cref="MessageLogSegment"/> is rewritten whole on every write
/// (its tail after each group, its archive of up to the whole history at each fold), while its messages never change:
/// each message is encoded once, its bytes kept by the segment's log (<see cref="MessageLogSegment.Encoded"/>), and a
/// segment is written as those bytes put one after another. Profiled in a silo at the rooms ceiling, encoding the
/// segments field by field took a fifth of the silo's CPU (docs/performance.md). Every other state goes to
/// <paramref name="fallback"/>, and a segment stored in its format (before this serializer) still loads.
/// </summary>
/// <remarks>
/// Format: <see cref="FormatMarker"/>, then the message count and each message as its length and its Orleans encoding,
/// then the dedup count and each entry as its key (length-prefixed UTF-8) and seq; counts, lengths and seqs are 7-bit
/// encoded. A decoded segment keeps its messages' bytes too, so an activation that loaded its history does not encode
/// it again.
/// </remarks>
public sealed class MessageLogStorageSerializer(Serializer<ChatMessage> messages, IGrainStorageSerializer fallback) : IGrainStorageSerializer
{
    /// <summary>First byte of this format; Orleans' own encoding of a segment starts with another (checked by the tests).</summary>
    public const byte FormatMarker = 0xA7;

    /// <summary>
    /// First bytes kept for later formats of a segment (an append-only history, say). A silo of this version that meets
    /// one refuses the segment, so that during a rolling upgrade an older silo fails to activate the grain (its callers
    /// get errors and retry) rather than take a history it cannot read for an empty one and write over it.
    /// </summary>
    public const byte LaterFormats = 0xA8, LaterFormatsEnd = 0xAF;

    private readonly Func<ChatMessage, byte[]> _encode = messages.SerializeToArray;

    public BinaryData Serialize<T>(T? input) => input is MessageLogSegment segment ? Write(segment) : fallback.Serialize(input);

    public T Deserialize<T>(BinaryData input)
    {
        if (typeof(T) != typeof(MessageLogSegment))
        {
            return fallback.Deserialize<T>(input)!;
        }

        return input.ToMemory().Span switch
        {
            [FormatMarker, ..] => (T)(object)Read(input.ToMemory()),
            [>= LaterFormats and <= LaterFormatsEnd and var marker, ..] => throw new NotSupportedException(
                $"A message log segment was written in a later format (0x{marker:X2}) by a newer version; this silo cannot read it"),
            _ => fallback.Deserialize<T>(input)!,
        };
    }

    private BinaryData Write(MessageLogSegment segment)
    {
        var encoded = new byte[segment.Messages.Count][];
        var size = 16 + segment.Dedup.Count * 48;
        for (var i = 0; i < encoded.Length; i++)
        {
            encoded[i] = segment.Encoded?.GetOrAdd(segment.Messages[i], _encode) ?? _encode(segment.Messages[i]);
            size += encoded[i].Length + 5;
        }

        using var stream = new MemoryStream(size);
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatMarker);
            writer.Write7BitEncodedInt(encoded.Length);
            foreach (var bytes in encoded)
            {
                writer.Write7BitEncodedInt(bytes.Length);
                writer.Write(bytes);
            }

            writer.Write7BitEncodedInt(segment.Dedup.Count);
            foreach (var entry in segment.Dedup)
            {
                writer.Write(entry.Key);
                writer.Write7BitEncodedInt64(entry.Seq);
            }
        }

        return new BinaryData(stream.GetBuffer().AsMemory(0, (int)stream.Length));
    }

    private MessageLogSegment Read(ReadOnlyMemory<byte> data)
    {
        using var stream = new MemoryStream(data.ToArray(), writable: false);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8);
        reader.ReadByte();
        var count = reader.Read7BitEncodedInt();
        var segment = new MessageLogSegment { Messages = new List<ChatMessage>(count), Encoded = new EncodedMessages() };
        for (var i = 0; i < count; i++)
        {
            var bytes = reader.ReadBytes(reader.Read7BitEncodedInt());
            var message = messages.Deserialize(bytes) ?? throw new InvalidDataException("A stored message log holds an empty message");
            segment.Encoded.Add(message, bytes);
            segment.Messages.Add(message);
        }

        var dedup = reader.Read7BitEncodedInt();
        segment.Dedup = new List<DedupEntry>(dedup);
        for (var i = 0; i < dedup; i++)
        {
            segment.Dedup.Add(new DedupEntry(reader.ReadString(), reader.Read7BitEncodedInt64()));
        }

        return segment;
    }
}
