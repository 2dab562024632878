namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// The frames one system's clients exchange. The load client (<c>LoadSocket</c>), its clock and its
/// accounting are the same for every system; only the frame texts differ, and both carry the same payload
/// (<see cref="LoadPayload"/>).
/// </summary>
public interface IRealtimeProtocol
{
    /// <summary>Sent right after the WebSocket opens (SignalR's protocol handshake), or null.</summary>
    byte[]? Handshake { get; }

    /// <summary>True when <paramref name="record"/> says the connection is ready, false when it was refused, null for any other record.</summary>
    bool? OpenAnswer(ReadOnlySpan<byte> record);

    byte[] Join(string room);

    /// <summary>True when <paramref name="record"/> confirms the join, false when it refuses it, null for any other record.</summary>
    bool? JoinAnswer(ReadOnlySpan<byte> record);

    /// <summary>A send of the load message <paramref name="id"/> to <paramref name="room"/>, answered with an ack.</summary>
    byte[] Send(string room, MessageId id);

    /// <summary>The answer to a send that <paramref name="record"/> carries, if any.</summary>
    SendReply ReadReply(ReadOnlySpan<byte> record);
}
