using WeDrawOS.Grains.Email;
using WeDrawOS.Grains.Hosting.Configuration;
using WeDrawOS.Grains.Realtime;
using WeDrawOS.Grains.Sms;

namespace WeDrawOS.Grains.Hosting;

/// <summary>The settings every process of the cluster loads.</summary>
public sealed record CoreSettings(HostingOptions Hosting, RedisOptions Redis, MailOptions Mail, SmsOptions Sms, RealtimeOptions Realtime)
{
    public static CoreSettings Load(SettingsLoader loader) => new(
        loader.Load<HostingOptions>(),
        loader.Load<RedisOptions>(),
        loader.Load<MailOptions>(),
        loader.Load<SmsOptions>(),
        loader.Load<RealtimeOptions>());
}
