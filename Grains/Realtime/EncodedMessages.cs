using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Realtime;

/// <summary>
/// The stored encoding of each message a <see cref="MessageLog"/> keeps, so that a segment rewritten whole at every
/// write encodes each message once. Held by the log and reached from its segments
/// (<see cref="MessageLogSegment.Encoded"/>) with plain references: a weak table keyed by message, used before, put a
/// dependent handle per kept message into every garbage collection (docs/performance.md, "2026-12-02, later").
/// </summary>
/// <remarks>Keyed by reference: a seq can be given again after a failed write, to a different message.</remarks>
internal sealed class EncodedMessages
{
    private readonly Dictionary<ChatMessage, byte[]> _bytes = new(ReferenceEqualityComparer.Instance);

    public int Count => _bytes.Count;

    public byte[] GetOrAdd(ChatMessage message, Func<ChatMessage, byte[]> encode)
    {
        if (!_bytes.TryGetValue(message, out var bytes))
        {
            bytes = encode(message);
            _bytes.Add(message, bytes);
        }

        return bytes;
    }

    public void Add(ChatMessage message, byte[] bytes) => _bytes[message] = bytes;

    /// <summary>Forgets a message the log no longer keeps (trimmed, or taken out after a failed write).</summary>
    public void Remove(ChatMessage message) => _bytes.Remove(message);

    /// <summary>The encodings that loading left in each of <paramref name="segments"/>, for the messages they still hold.</summary>
    public static EncodedMessages Of(params MessageLogSegment[] segments)
    {
        var all = new EncodedMessages();
        foreach (var segment in segments)
        {
            foreach (var message in segment.Messages)
            {
                if (segment.Encoded?._bytes.TryGetValue(message, out var bytes) == true)
                {
                    all._bytes[message] = bytes;
                }
            }
        }

        return all;
    }
}
