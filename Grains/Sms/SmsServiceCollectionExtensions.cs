using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Polly;
using WeDrawOS.Grains.Notifications;
using WeDrawOS.Grains.Sms.Aliyun;
using WeDrawOS.Grains.Sms.Mock;
using WeDrawOS.Grains.Sms.Tencent;
using WeDrawOS.Grains.Sms.Twilio;

namespace WeDrawOS.Grains.Sms;

/// <summary>Wires the SMS providers, their circuits and the failover sender of the SMS channel.</summary>
public static class SmsServiceCollectionExtensions
{
    public static IServiceCollection AddWeDrawOSSms(this IServiceCollection services, SmsOptions sms)
    {
        services.TryAddSingleton(TimeProvider.System);
        var timeout = TimeSpan.FromMilliseconds(sms.ProviderTimeoutMs);

        // Only a timeout in the handler: a retry here would send the same SMS twice when the provider accepted it
        // but the answer was lost. The failover sender moves to the next provider and the outbox retries later.
        services.AddHttpClient<TwilioSmsProvider>().AddResilienceHandler("sms-twilio", b => b.AddTimeout(timeout));
        services.AddHttpClient<AliyunSmsProvider>().AddResilienceHandler("sms-aliyun", b => b.AddTimeout(timeout));
        services.AddHttpClient<TencentSmsProvider>().AddResilienceHandler("sms-tencent", b => b.AddTimeout(timeout));
        services.AddSingleton<MockSmsProvider>();

        services.AddKeyedTransient<ISmsProvider>(TwilioSmsProvider.ProviderName, (sp, _) => sp.GetRequiredService<TwilioSmsProvider>());
        services.AddKeyedTransient<ISmsProvider>(AliyunSmsProvider.ProviderName, (sp, _) => sp.GetRequiredService<AliyunSmsProvider>());
        services.AddKeyedTransient<ISmsProvider>(TencentSmsProvider.ProviderName, (sp, _) => sp.GetRequiredService<TencentSmsProvider>());
        services.AddKeyedTransient<ISmsProvider>(MockSmsProvider.ProviderName, (sp, _) => sp.GetRequiredService<MockSmsProvider>());

        services.AddSingleton<SmsCircuitBreakers>();
        services.AddSingleton<SmsFailoverSender>();
        services.AddSingleton<INotificationSender>(sp => sp.GetRequiredService<SmsFailoverSender>());
        return services;
    }
}
