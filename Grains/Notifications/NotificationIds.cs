namespace WeDrawOS.Grains.Notifications;

/// <summary>Notification ids: 32 lower-case hex digits, time-ordered (UUID v7), carrying nothing about the recipient.</summary>
public static class NotificationIds
{
    public static string New() => Guid.CreateVersion7().ToString("N");
}
