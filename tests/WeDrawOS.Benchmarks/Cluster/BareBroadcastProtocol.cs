namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>The broadcast floor's frames (<see cref="Baselines.BareBroadcastFloorServer"/>): a <c>{}</c> greeting, then broadcasts; no rooms.</summary>
public sealed class BareBroadcastProtocol : IRealtimeProtocol
{
    public byte[]? Handshake => null;

    public bool? OpenAnswer(ReadOnlySpan<byte> record) => record.SequenceEqual("{}"u8) ? true : null;

    public byte[] Join(string room) => throw new NotSupportedException("the broadcast floor has no rooms");

    public bool? JoinAnswer(ReadOnlySpan<byte> record) => null;

    public byte[] Send(string room, MessageId id) => throw new NotSupportedException("the broadcast floor has no rooms");

    public SendReply ReadReply(ReadOnlySpan<byte> record) => default;
}
