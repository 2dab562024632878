namespace WeDrawOS.Grains.Interfaces.Notifications;

/// <summary>
/// The response timeout of the notification calls fronts make (<c>[ResponseTimeout(NotificationCallTimeout.Value)]</c>).
/// Fronts wait only <c>FRONT_CALL_TIMEOUT_MS</c> (5 s) for a grain call, to get over a dead silo quickly. An outbox
/// no longer holds calls while it sends (sends run outside its turns), but an enqueue still waits for the storage
/// write, and a batch chunk makes hundreds of outbox writes. Giving up on those early would make callers re-send and
/// queue duplicates, so they keep Orleans' default of 30 s.
/// </summary>
public static class NotificationCallTimeout
{
    public const string Value = "00:00:30";
}
