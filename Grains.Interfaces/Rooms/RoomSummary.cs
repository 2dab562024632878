using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Interfaces.Rooms;

/// <summary>One room as a user's conversation list shows it, without joining the room.</summary>
/// <param name="Room">The room id.</param>
/// <param name="Seq">The room's latest seq.</param>
/// <param name="Unread">Messages after the user's read cursor that others sent.</param>
/// <param name="LastMessage">The latest message, null in an empty room.</param>
/// <param name="ReadSeq">The user's read cursor (0 when the user has read nothing).</param>
[GenerateSerializer, Immutable, Alias("wedrawos.RoomSummary")]
public sealed record RoomSummary(
    [property: Id(0)] string Room,
    [property: Id(1)] long Seq,
    [property: Id(2)] long Unread,
    [property: Id(3)] ChatMessage? LastMessage,
    [property: Id(4)] long ReadSeq);
