using System.Text;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// SignalR's JSON hub protocol over a plain WebSocket (what its JavaScript client speaks, negotiation skipped): the
/// handshake, then invocations of the hub's <c>Join</c> and <c>Send</c> answered by completions. Each message ends
/// with the record separator.
/// </summary>
public sealed class SignalRProtocol : IRealtimeProtocol
{
    private const string JoinInvocation = "join";

    public byte[]? Handshake { get; } = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");

    // The server answers the handshake with an empty object, or with an error.
    public bool? OpenAnswer(ReadOnlySpan<byte> record) =>
        record.SequenceEqual("{}"u8) ? true
        : record.IndexOf("\"error\""u8) >= 0 ? false
        : null;

    public byte[] Join(string room) =>
        Encoding.UTF8.GetBytes($"{{\"type\":1,\"invocationId\":\"{JoinInvocation}\",\"target\":\"Join\",\"arguments\":[\"{room}\"]}}\u001e");

    public bool? JoinAnswer(ReadOnlySpan<byte> record)
    {
        if (record.IndexOf("\"type\":3"u8) < 0 || record.IndexOf("\"invocationId\":\"join\""u8) < 0)
        {
            return null;
        }

        return record.IndexOf("\"error\":"u8) < 0;
    }

    public byte[] Send(string room, MessageId id) =>
        Encoding.UTF8.GetBytes($"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"Send\",\"arguments\":[\"{room}\",{LoadPayload.Message(id)}]}}\u001e");

    public SendReply ReadReply(ReadOnlySpan<byte> record)
    {
        if (record.IndexOf("\"type\":3"u8) < 0)
        {
            return default;
        }

        MessageId? id = FrameFields.TryGetMessageId(record, "\"invocationId\":\""u8, out var parsed) ? parsed : null;
        return record.IndexOf("\"error\":"u8) < 0
            ? new SendReply(SendReplyKind.Ack, id)
            : new SendReply(SendReplyKind.Failed, id, FrameFields.GetString(record, "\"error\":\""u8));
    }
}
