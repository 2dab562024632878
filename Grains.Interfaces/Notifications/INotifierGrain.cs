using Orleans.Concurrency;

namespace WeDrawOS.Grains.Interfaces.Notifications;

/// <summary>
/// A recipient's outbox (key: <see cref="NotifierKey"/> formatted as a string). Persists each notification
/// before acknowledging it, sends it through the channel's sender, retries transient failures on a reminder,
/// keeps a bounded history. Verification codes live in <c>IVerificationGrain</c>, which sends through this outbox.
/// </summary>
public interface INotifierGrain : IGrainWithStringKey
{
    /// <summary>Queues a notification; it is durably stored when this returns.</summary>
    /// <exception cref="ArgumentException">when the request is invalid for the channel (nothing is queued).</exception>
    [ResponseTimeout(NotificationCallTimeout.Value)]
    Task<NotificationRecord> Enqueue(NotificationRequest request);

    /// <summary>
    /// The notification with that id, or null when this outbox never had it. Answers while a send is in flight
    /// (it only reads), so a slow server never holds up a status query.
    /// </summary>
    [ReadOnly, AlwaysInterleave]
    Task<NotificationRecord?> Get(string id);

    /// <summary>The most recent notifications, newest first. Answers while a send is in flight.</summary>
    [ReadOnly, AlwaysInterleave]
    Task<IReadOnlyList<NotificationRecord>> History(int limit);
}
