namespace WeDrawOS.Grains.Notifications;

/// <summary>A recipient's outbox: pending notifications and the bounded history of finished ones, oldest first.</summary>
[GenerateSerializer, Alias("wedrawos.NotifierState")]
public sealed class NotifierState
{
    [Id(0)] public List<StoredNotification> Items { get; set; } = [];
}
