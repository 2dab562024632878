using WeDrawOS.Configuration;
using WeDrawOS.Hosting.Security;
using WeDrawOS.Hosting.Telemetry;
using WeDrawOS.Notifications;
using WeDrawOS.Notifications.Sms;
using WeDrawOS.Notifications.Verification;
using WeDrawOS.Services.Caching;
using WeDrawOS.Services.Email;
using WeDrawOS.Services.Sms;
using WeDrawOS.Services.Sms.Aliyun;
using WeDrawOS.Services.Sms.Tencent;
using WeDrawOS.Services.Sms.Twilio;

namespace WeDrawOS.Hosting;

/// <summary>The settings every process of the cluster loads.</summary>
public sealed record CoreSettings(
    HostingOptions Hosting,
    RedisOptions Redis,
    MailOptions Mail,
    SmsOptions Sms,
    NotificationOptions Notifications,
    CacheOptions Cache,
    FailoverOptions Failover,
    TelemetryOptions Telemetry,
    ClusterSettings Cluster,
    SecurityOptions Security,
    ClusterTlsOptions ClusterTls)
{
    public static CoreSettings Load(SettingsLoader loader)
    {
        var sms = loader.Load<SmsOptions>();
        SmsSettingsValidation.ValidateProviders(loader.Errors, sms, loader.Load<TwilioOptions>(), loader.Load<AliyunSmsOptions>(), loader.Load<TencentSmsOptions>());
        loader.Load<VerificationOptions>();
        loader.Load<StreamSettings>();
        return new(
            loader.Load<HostingOptions>(),
            loader.Load<RedisOptions>(),
            loader.Load<MailOptions>(),
            sms,
            loader.Load<NotificationOptions>(),
            loader.Load<CacheOptions>(),
            loader.Load<FailoverOptions>(),
            loader.Load<TelemetryOptions>(),
            loader.Load<ClusterSettings>(),
            loader.Load<SecurityOptions>(),
            loader.Load<ClusterTlsOptions>());
    }
}
