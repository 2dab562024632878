namespace WeDrawOS.Grains.Interfaces.Notifications;

/// <summary>How a notification reaches its recipient.</summary>
public enum NotificationChannel
{
    Email,
    Sms,
}
