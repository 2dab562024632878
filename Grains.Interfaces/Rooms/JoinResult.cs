using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Interfaces.Rooms;

/// <summary>The answer to a join.</summary>
/// <param name="Allowed">False when the room has a member list without this user (nothing else is filled then).</param>
/// <param name="Seq">The room's latest seq.</param>
/// <param name="Recovered">True when every message after <c>since</c> is in <paramref name="Messages"/>.</param>
/// <param name="Messages">Messages after <c>since</c>, oldest first (empty without <c>since</c>).</param>
/// <param name="Unread">Messages after the joining user's read cursor that others sent.</param>
/// <param name="Readers">The read cursor of each member who has read something (members not listed have read nothing).</param>
[GenerateSerializer, Immutable, Alias("wedrawos.JoinResult")]
public sealed record JoinResult(
    [property: Id(0)] bool Allowed,
    [property: Id(1)] long Seq,
    [property: Id(2)] bool Recovered,
    [property: Id(3)] IReadOnlyList<ChatMessage> Messages,
    [property: Id(4)] IReadOnlyList<MemberPresence> Members,
    [property: Id(5)] long Unread = 0,
    [property: Id(6)] IReadOnlyList<ReadCursor>? Readers = null);
