namespace WeDrawOS.Grains.Interfaces.Notifications;

/// <summary>A recipient's outbox already holds <c>NOTIFY_PENDING_LIMIT</c> waiting notifications.</summary>
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
