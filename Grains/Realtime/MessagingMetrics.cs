using System.Diagnostics.Metrics;

namespace WeDrawOS.Grains.Realtime;

/// <summary>
/// Messages the room and user grains accepted (stored with a new seq; re-sends answered as duplicates are not counted),
/// and events the events outbox had to drop.
/// </summary>
public sealed class MessagingMetrics
{
    public const string MeterName = "WeDrawOS.Messaging";

    private static readonly KeyValuePair<string, object?> Room = new("kind", "room");
    private static readonly KeyValuePair<string, object?> Direct = new("kind", "direct");

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _eventsDropped;

    public MessagingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _accepted = meter.CreateCounter<long>("messages.accepted", "{message}", "Messages stored with a new seq, by kind (room, direct)");
        _eventsDropped = meter.CreateCounter<long>("events.dropped", "{event}", "Events dropped unpublished because the silo's events outbox was full");
    }

    /// <param name="count">Messages stored together by one write.</param>
    public void RoomMessageAccepted(int count = 1) => _accepted.Add(count, Room);

    /// <param name="count">Messages stored together by one write.</param>
    public void DirectMessageAccepted(int count = 1) => _accepted.Add(count, Direct);

    /// <summary>An event the outbox dropped, its oldest, when full (<see cref="EventsOutbox.QueueLimit"/>).</summary>
    public void EventsDropped() => _eventsDropped.Add(1);
}
