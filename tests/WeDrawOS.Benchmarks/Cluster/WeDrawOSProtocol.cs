using System.Text;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>This system's frames (<c>docs/protocol.md</c>): <c>welcome</c>, <c>join</c>/<c>joined</c>, <c>send</c> answered by <c>ack</c> or <c>error</c>.</summary>
public sealed class WeDrawOSProtocol : IRealtimeProtocol
{
    public byte[]? Handshake => null;

    public bool? OpenAnswer(ReadOnlySpan<byte> record) =>
        record.IndexOf("\"type\":\"welcome\""u8) >= 0 ? true : null;

    public byte[] Join(string room) => Encoding.UTF8.GetBytes($"{{\"type\":\"join\",\"room\":\"{room}\"}}");

    public bool? JoinAnswer(ReadOnlySpan<byte> record) =>
        record.IndexOf("\"type\":\"joined\""u8) >= 0 ? true
        : record.IndexOf("\"type\":\"error\""u8) >= 0 ? false
        : null;

    public byte[] Send(string room, MessageId id) =>
        Encoding.UTF8.GetBytes($"{{\"type\":\"send\",\"id\":\"{id}\",\"room\":\"{room}\",\"data\":{LoadPayload.Message(id)}}}");

    public SendReply ReadReply(ReadOnlySpan<byte> record)
    {
        var isAck = record.IndexOf("\"type\":\"ack\""u8) >= 0;
        if (!isAck && record.IndexOf("\"type\":\"error\""u8) < 0)
        {
            return default;
        }

        MessageId? id = FrameFields.TryGetMessageId(record, "\"id\":\""u8, out var parsed) ? parsed : null;
        if (isAck)
        {
            return new SendReply(SendReplyKind.Ack, id);
        }

        var code = FrameFields.GetString(record, "\"code\":\""u8);
        return new SendReply(code == "busy" ? SendReplyKind.Busy : SendReplyKind.Failed, id, code);
    }
}
