using WeDrawOS.Grains.Caching;
using WeDrawOS.Grains.Email;
using WeDrawOS.Grains.Hosting.Configuration;
using WeDrawOS.Grains.Notifications;
using WeDrawOS.Grains.Realtime;
using WeDrawOS.Grains.Sms;

namespace WeDrawOS.Grains.Hosting;

/// <summary>The settings every process of the cluster loads.</summary>
public sealed record CoreSettings(
    HostingOptions Hosting,
    RedisOptions Redis,
    MailOptions Mail,
    SmsOptions Sms,
    NotificationOptions Notifications,
    CacheOptions Cache,
    RealtimeOptions Realtime)
{
    public static CoreSettings Load(SettingsLoader loader) => new(
        loader.Load<HostingOptions>(),
        loader.Load<RedisOptions>(),
        loader.Load<MailOptions>(),
        loader.Load<SmsOptions>(),
        loader.Load<NotificationOptions>(),
        loader.Load<CacheOptions>(),
        loader.Load<RealtimeOptions>());
}
