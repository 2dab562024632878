namespace WeDrawOS.Grains.Interfaces.Streams;

/// <summary>
/// The Orleans stream provider and namespaces the cluster publishes on. Other .NET services subscribe
/// with the same names (for example to <see cref="Events"/>).
/// </summary>
public static class StreamNames
{
    /// <summary>Name of the stream provider registered on silos and clients.</summary>
    public const string Provider = "wedrawos";

    /// <summary>Grain storage that holds stream subscriptions (must exist wherever streams are used).</summary>
    public const string PubSubStore = "PubSubStore";

    /// <summary>Grain storage of the user and room grains (binary serialized; see docs/realtime.md).</summary>
    public const string RealtimeStorage = "realtime";

    /// <summary>One stream per user, key = user id: direct messages and the user's own events.</summary>
    public const string Users = "user";

    /// <summary>One stream per room, key = room id: room messages and membership events.</summary>
    public const string Rooms = "room";

    /// <summary>The single cluster-wide broadcast stream, key <see cref="AllKey"/>.</summary>
    public const string Broadcast = "broadcast";

    /// <summary>The single cluster-wide events stream for other services, key <see cref="AllKey"/>.</summary>
    public const string Events = "events";

    /// <summary>Key of the cluster-wide streams.</summary>
    public const string AllKey = "all";

    public static StreamId User(string userId) => StreamId.Create(Users, userId);

    public static StreamId Room(string roomId) => StreamId.Create(Rooms, roomId);

    public static StreamId BroadcastStream => StreamId.Create(Broadcast, AllKey);

    public static StreamId EventsStream => StreamId.Create(Events, AllKey);
}
