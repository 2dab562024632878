using System.Buffers.Text;
using System.Globalization;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// A load message's identity: the step that scheduled it and its number in that step, written <c>step.number</c> as
/// the client id of a send (and as SignalR's invocation id), so that every ack and delivery is matched to its message.
/// </summary>
public readonly record struct MessageId(int Step, int Number)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Step}.{Number}");

    /// <summary>Reads <c>step.number</c> from the start of <paramref name="text"/> (what follows is ignored).</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out MessageId id)
    {
        id = default;
        if (!Utf8Parser.TryParse(text, out int step, out var read) || read >= text.Length || text[read] != (byte)'.')
        {
            return false;
        }

        if (!Utf8Parser.TryParse(text[(read + 1)..], out int number, out _))
        {
            return false;
        }

        id = new MessageId(step, number);
        return true;
    }
}
