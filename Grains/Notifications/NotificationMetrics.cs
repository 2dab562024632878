using System.Diagnostics.Metrics;
using WeDrawOS.Grains.Interfaces.Notifications;

namespace WeDrawOS.Grains.Notifications;

/// <summary>The outboxes: notifications waiting, and each send attempt with how it ended, per channel (email, sms).</summary>
public sealed class NotificationMetrics
{
    public const string MeterName = "WeDrawOS.Notifications";

    private readonly UpDownCounter<int> _pending;
    private readonly Counter<long> _attempts;

    public NotificationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _pending = meter.CreateUpDownCounter<int>("outbox.pending", "{notification}", "Notifications waiting in the outboxes active on this silo, by channel");
        _attempts = meter.CreateCounter<long>("outbox.attempts", "{attempt}", "Send attempts by channel and outcome (sent, retrying, failed)");
    }

    public void PendingChanged(NotificationChannel channel, int delta)
    {
        if (delta != 0)
        {
            _pending.Add(delta, new KeyValuePair<string, object?>("channel", Name(channel)));
        }
    }

    /// <summary>One attempt; <paramref name="outcome"/> is the notification's status after it (sent, retrying, failed).</summary>
    public void Attempted(NotificationChannel channel, string outcome) =>
        _attempts.Add(1, new KeyValuePair<string, object?>("channel", Name(channel)), new KeyValuePair<string, object?>("outcome", outcome));

    private static string Name(NotificationChannel channel) => channel == NotificationChannel.Email ? "email" : "sms";
}
