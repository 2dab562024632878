using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Grains.Interfaces.Users;

namespace WeDrawOS.Client;

/// <summary>
/// What another .NET service does with the realtime core, over the grains. Every method checks its arguments first
/// (ids as the HTTP API checks them, <c>data</c> must be JSON text): a bad one throws <see cref="ArgumentException"/>
/// and nothing is sent. A sending method answers once the message is durably stored; with a <c>clientId</c>, a
/// retried call is answered with the first seq and <see cref="SendResult.Duplicate"/> instead of a second delivery.
/// A room or inbox that already has <c>WRITE_QUEUE_LIMIT</c> messages waiting for their write throws
/// <see cref="BusyException"/>: nothing was stored; retry after a moment with the same <c>clientId</c>.
/// </summary>
public interface IWeDrawOSClient
{
    /// <summary>A direct message: stored in the user's inbox, pushed to all its connections.</summary>
    /// <param name="data">The payload as JSON text, delivered verbatim.</param>
    /// <param name="from">The sender name clients see; <c>system</c> when null.</param>
    /// <param name="clientId">A message id unique for this sender, for safe retries; null to skip de-duplication.</param>
    Task<SendResult> SendToUserAsync(string userId, string data, string? from = null, string? clientId = null);

    /// <summary>A room message, stored in the room's history and pushed to its members. Services may post in any room.</summary>
    Task<SendResult> PostToRoomAsync(string roomId, string data, string? from = null, string? clientId = null);

    /// <summary>A message to every connected user of the cluster (not stored).</summary>
    Task<BroadcastMessage> BroadcastAsync(string data);

    /// <summary>The room's members and whether each is online.</summary>
    Task<IReadOnlyList<MemberPresence>> MembersAsync(string roomId);

    /// <summary>Puts a user on the room's member list; a room with a member list admits only its members and staff.</summary>
    Task AllowMemberAsync(string roomId, string userId);

    /// <summary>Takes a user off the room's member list; the user's sockets leave the room.</summary>
    Task RemoveMemberAsync(string roomId, string userId);

    /// <summary>
    /// The room's latest messages with a seq below <paramref name="before"/> (or the latest), oldest first, at most
    /// <paramref name="limit"/> and <paramref name="maxBytes"/> of data; <see cref="MessagePage.More"/> says older ones exist.
    /// </summary>
    Task<MessagePage> HistoryAsync(string roomId, long? before = null, int limit = 50, int maxBytes = 1 << 20);

    /// <summary>Whether the user has an open connection anywhere, how many, and when it was last seen.</summary>
    Task<PresenceInfo> PresenceAsync(string userId);

    /// <summary>
    /// Calls <paramref name="onEvent"/> for every entry of the cluster's events stream (<see cref="RealtimeEventKinds"/>)
    /// until the returned subscription is disposed: each event once, a room's messages in seq order, nothing from before
    /// the subscription, and not what a killed silo held (docs/realtime.md, "The events stream"). When
    /// <paramref name="onEvent"/> throws it is called again with the same event, and later events wait.
    /// </summary>
    Task<IAsyncDisposable> SubscribeAsync(Func<RealtimeEvent, Task> onEvent);
}
