using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using WeDrawOS.Notifications.Sms;
using WeDrawOS.Services.Sms;
using WeDrawOS.Services.Sms.Aliyun;
using WeDrawOS.Services.Sms.Tencent;
using WeDrawOS.Services.Sms.Twilio;
using WeDrawOS.Tests.Sms.Stubs;

namespace WeDrawOS.Tests.Sms;

/// <summary>The SMS services as the hosts wire them (<see cref="SmsServiceCollectionExtensions.AddWeDrawOSSms"/>), pointed at stubs.</summary>
public static class SmsTestServices
{
    public static ServiceProvider Build(string providers, TimeProvider circuitClock, TwilioStub? twilio = null, AliyunStub? aliyun = null, TencentStub? tencent = null,
        int circuitFailures = 3, int timeoutMs = 5000, string? aliyunCustomTemplate = null, FakeLogCollector? logs = null)
    {
        var sms = new SmsOptions { Providers = providers, CircuitFailures = circuitFailures, CircuitBreakSeconds = 30, ProviderTimeoutMs = timeoutMs };
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                b.AddProvider(new FakeLoggerProvider(logs));
            }
        });
        services.AddSingleton(Options.Create(sms));
        services.AddSingleton(Options.Create(twilio?.Options() ?? new TwilioOptions()));
        services.AddSingleton(Options.Create(aliyun?.Options(customTemplate: aliyunCustomTemplate) ?? new AliyunSmsOptions()));
        services.AddSingleton(Options.Create(tencent?.Options() ?? new TencentSmsOptions()));
        services.AddWeDrawOSSms(sms, hostsGrains: true);
        // Only the circuits run on the test's clock: the providers sign their requests and time out on real time, as the
        // stubs and the resilience handlers expect (a fake clock in DI would stop every timeout).
        services.AddSingleton(sp => new SmsCircuitBreakers(sp.GetRequiredService<IOptions<SmsOptions>>(), circuitClock, sp.GetRequiredService<SmsMetrics>()));
        return services.BuildServiceProvider();
    }
}
