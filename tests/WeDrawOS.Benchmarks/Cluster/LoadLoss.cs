namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>
/// What a <see cref="MessageLoad"/> lost over all its steps, counted by message id once late arrivals had their chance:
/// a message is lost when it was acked but has not reached every member of its room.
/// </summary>
/// <param name="LostOnSendersServer">Lost messages that only members on the sender's server missed.</param>
/// <param name="LostOnOtherServer">Lost messages that only members on one other server missed.</param>
/// <param name="Unacked">Sent but never acked (failed or unanswered): the client knows these did not go through.</param>
/// <param name="Strays">Deliveries to a socket outside the message's room, or of no message of the load.</param>
/// <param name="ClosedSockets">Load sockets the server had closed or dropped by the end.</param>
/// <param name="Errors">Error answers by code.</param>
public sealed record LoadLoss(
    long Sent, long Acked, long Unacked, long LostMessages, long LostDeliveries, long LostOnSendersServer, long LostOnOtherServer, long Busies, long Duplicates, long Strays,
    int ClosedSockets, IReadOnlyDictionary<string, long> Errors);
