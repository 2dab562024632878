namespace WeDrawOS.Grains.Interfaces.Realtime;

/// <summary>
/// An entry of the cluster-wide events stream (<see cref="Streams.StreamNames.EventsStream"/>) for other .NET services.
/// </summary>
/// <param name="Kind">One of <see cref="RealtimeEventKinds"/>.</param>
/// <param name="UserId">The user the event is about (the sender for <c>message</c>).</param>
/// <param name="Room">The room, when the event concerns one.</param>
/// <param name="ConnectionId">The connection, for <c>user_connected</c> / <c>user_disconnected</c>.</param>
/// <param name="Message">
/// The accepted message, for <c>message</c>; its <c>Data</c> is <c>null</c> (JSON) when <paramref name="DataOmitted"/>.
/// </param>
/// <param name="DataOmitted">
/// The message's data was larger than <c>EVENTS_MAX_DATA_BYTES</c> and left out: read the message by its seq from the
/// room's history or the recipient's inbox. The memory stream keeps every event it carried in its cache, in 1 MB blocks
/// it never gives back, so large payloads there would hold memory no budget bounds.
/// </param>
[GenerateSerializer, Immutable, Alias("wedrawos.RealtimeEvent")]
public sealed record RealtimeEvent(
    [property: Id(0)] string Kind,
    [property: Id(1)] string UserId,
    [property: Id(2)] string? Room,
    [property: Id(3)] string? ConnectionId,
    [property: Id(4)] ChatMessage? Message,
    [property: Id(5)] DateTimeOffset Ts,
    [property: Id(6)] bool DataOmitted = false);
