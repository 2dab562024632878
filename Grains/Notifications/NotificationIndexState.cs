namespace WeDrawOS.Grains.Notifications;

/// <summary>State of <see cref="NotificationIndexGrain"/>.</summary>
[GenerateSerializer, Alias("wedrawos.NotificationIndexState")]
public sealed class NotificationIndexState
{
    [Id(0)] public string? NotifierKey { get; set; }
}
