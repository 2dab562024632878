namespace WeDrawOS.Services.Notifications;

/// <summary>Notifications waiting in the outboxes active on this silo; the outboxes keep it up to date.</summary>
public sealed class NotificationQueueGauge
{
    private int _pending;

    public int Pending => Volatile.Read(ref _pending);

    public void Add(int delta)
    {
        if (delta != 0)
        {
            Interlocked.Add(ref _pending, delta);
        }
    }
}
