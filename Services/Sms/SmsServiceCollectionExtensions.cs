using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Polly;
using WeDrawOS.Notifications.Sms;
using WeDrawOS.Services.Notifications;
using WeDrawOS.Services.Sms.Aliyun;
using WeDrawOS.Services.Sms.Mock;
using WeDrawOS.Services.Sms.Tencent;
using WeDrawOS.Services.Sms.Twilio;

namespace WeDrawOS.Services.Sms;

/// <summary>Wires SMS delivery: the circuits everywhere, and the providers, circuits and failover sender where the outboxes live.</summary>
public static class SmsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the circuits the health check reports; with <paramref name="hostsGrains"/>,
    /// also the providers as typed HttpClients and the SMS sender of the outboxes.
    /// </summary>
    public static IServiceCollection AddWeDrawOSSms(this IServiceCollection services, SmsOptions sms, bool hostsGrains)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<SmsMetrics>();
        services.AddSingleton<SmsCircuitBreakers>();
        if (!hostsGrains)
        {
            return services;
        }

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

        services.AddSingleton<SmsFailoverSender>();
        services.AddSingleton<INotificationSender>(sp => sp.GetRequiredService<SmsFailoverSender>());
        return services;
    }
}
