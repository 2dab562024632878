namespace WeDrawOS.Grains.Interfaces.Streams;

/// <summary>
/// The Orleans stream provider and the two streams the cluster publishes on: broadcasts (every front subscribes)
/// and the events stream for other .NET services. Room and direct messages do not use streams: grains push them to
/// the fronts through <c>IFrontObserver</c> (docs/realtime.md).
/// </summary>
public static class StreamNames
{
    /// <summary>Name of the stream provider registered on silos and clients.</summary>
    public const string Provider = "wedrawos";

    /// <summary>Namespace of the single cluster-wide broadcast stream, key <see cref="AllKey"/>.</summary>
    public const string Broadcast = "broadcast";

    /// <summary>Namespace of the single cluster-wide events stream for other services, key <see cref="AllKey"/>.</summary>
    public const string Events = "events";

    /// <summary>Key of the cluster-wide streams.</summary>
    public const string AllKey = "all";

    public static StreamId BroadcastStream => StreamId.Create(Broadcast, AllKey);

    public static StreamId EventsStream => StreamId.Create(Events, AllKey);
}
