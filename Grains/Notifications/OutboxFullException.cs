namespace WeDrawOS.Grains.Notifications;

/// <summary>A recipient's outbox already holds <see cref="NotificationOptions.PendingLimit"/> waiting notifications.</summary>
[GenerateSerializer, Alias("wedrawos.OutboxFullException")]
public sealed class OutboxFullException : Exception
{
    public OutboxFullException()
    {
    }

    public OutboxFullException(string message)
        : base(message)
    {
    }

    public OutboxFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
