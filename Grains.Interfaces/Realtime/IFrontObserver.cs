using Orleans.Concurrency;
namespace WeDrawOS.Grains.Interfaces.Realtime;

/// <summary>
/// The push path to one web front (one observer per front process). User and room grains call it once per front,
/// not once per socket; the front writes one serialized buffer to its local sockets. Registrations expire unless the
/// front renews them, so a dead front is forgotten.
/// </summary>
public interface IFrontObserver : IGrainObserver
{
    /// <summary>A message for the front's sockets of <paramref name="userId"/> (direct message), except <see cref="OutgoingMessage.OriginConnection"/>.</summary>
    [OneWay]
    Task DirectMessage(string userId, ChatMessage message, string? exceptConnection);

    /// <summary>A room message for the front's sockets that joined <see cref="ChatMessage.Room"/>, except <paramref name="exceptConnection"/>.</summary>
    [OneWay]
    Task RoomMessage(ChatMessage message, string? exceptConnection);

    /// <summary>A membership or presence event for the sockets that joined <paramref name="room"/>.</summary>
    [OneWay]
    Task RoomEvent(string room, string kind, string userId);

    /// <summary>The user lost access to the room (removed from its member list): its sockets leave the room.</summary>
    [OneWay]
    Task RoomAccessRevoked(string room, string userId);

    /// <summary>
    /// The room turned private: only <paramref name="allowed"/> and staff may stay, every other socket leaves the room.
    /// </summary>
    [OneWay]
    Task RoomRestricted(string room, IReadOnlyList<string> allowed);

    /// <summary>A member of <paramref name="room"/> is typing: the front tells its other sockets in the room (not the typist's own).</summary>
    [OneWay]
    Task RoomTyping(string room, string userId);

    /// <summary>A member's read cursor moved: the front tells its sockets in the room, except <paramref name="exceptConnection"/>.</summary>
    [OneWay]
    Task RoomReceipt(string room, string userId, long seq, string? exceptConnection);
}
