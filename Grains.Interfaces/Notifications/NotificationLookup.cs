namespace WeDrawOS.Grains.Interfaces.Notifications;

/// <summary>Finds a notification from its id alone, through <see cref="INotificationIndexGrain"/>.</summary>
public static class NotificationLookup
{
    /// <summary>
    /// True for strings shaped like the ids outboxes hand out (32 lower-case hex digits), so that arbitrary
    /// input never activates a grain.
    /// </summary>
    public static bool IsWellFormedId(string? id) =>
        id is { Length: 32 } && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>The notification with that id, or null when no outbox knows it (any more).</summary>
    public static async Task<NotificationRecord?> FindAsync(this IGrainFactory grains, string id)
    {
        if (!IsWellFormedId(id))
        {
            return null;
        }

        var key = await grains.GetGrain<INotificationIndexGrain>(id).Find();
        return key is null ? null : await grains.GetGrain<INotifierGrain>(key).Get(id);
    }
}
