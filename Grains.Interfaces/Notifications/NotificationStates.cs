namespace WeDrawOS.Grains.Interfaces.Notifications;

/// <summary>The <c>status</c> values of a notification in the wire contract.</summary>
public static class NotificationStates
{
    public const string Queued = "queued";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Retrying = "retrying";
    public const string Failed = "failed";
}
