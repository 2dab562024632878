using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Interfaces.Rooms;

/// <summary>The answer to a join.</summary>
/// <param name="Allowed">False when the room has a member list without this user (nothing else is filled then).</param>
/// <param name="Seq">The room's latest seq.</param>
/// <param name="Recovered">True when the history still reaches back to <c>since</c> (nothing after it was dropped).</param>
/// <param name="Messages">Messages after <c>since</c>, oldest first (empty without <c>since</c>), cut by the replay's limit and bytes.</param>
/// <param name="More">True when <paramref name="Messages"/> was cut and later messages follow (page on with <c>history</c> <c>after</c>).</param>
/// <param name="Unread">Messages after the joining user's read cursor that others sent.</param>
/// <param name="Readers">The read cursor of each member who has read something (members not listed have read nothing).</param>
[GenerateSerializer, Immutable, Alias("wedrawos.JoinResult")]
public sealed record JoinResult(
    [property: Id(0)] bool Allowed,
    [property: Id(1)] long Seq,
    [property: Id(2)] bool Recovered,
    [property: Id(3)] IReadOnlyList<ChatMessage> Messages,
    [property: Id(4)] IReadOnlyList<MemberPresence> Members,
    [property: Id(5)] bool More = false,
    [property: Id(6)] long Unread = 0,
    [property: Id(7)] IReadOnlyList<ReadCursor>? Readers = null);
