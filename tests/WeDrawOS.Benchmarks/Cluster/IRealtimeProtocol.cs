namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// The frames one system's clients exchange. The load client (<see cref="LoadSocket"/>), its clock and its
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

/// <summary>How a send was answered.</summary>
public enum SendReplyKind
{
    /// <summary>The record is not an answer to a send.</summary>
    None,

    /// <summary>Accepted (this system: stored; SignalR: published to the backplane).</summary>
    Ack,

    /// <summary>Refused for now under load; retried with the same id.</summary>
    Busy,

    /// <summary>Refused for another reason (<see cref="SendReply.Code"/>).</summary>
    Failed,
}

/// <summary>An answer to a send; <paramref name="Id"/> is null when the answer names no message.</summary>
public readonly record struct SendReply(SendReplyKind Kind, MessageId? Id = null, string? Code = null);
