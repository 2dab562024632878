using WeDrawOS.Services.Notifications;

namespace WeDrawOS.Services.Sms;

/// <summary>
/// One SMS provider. Makes exactly one attempt (no retries of its own: the failover and the outbox retry) and
/// classifies it: sent, transient (timeouts, 5xx, throttling, provider-side account problems: worth another
/// provider) or permanent (bad number, bad template: no provider would do better).
/// </summary>
public interface ISmsProvider
{
    /// <summary>The name used in <c>SMS_PROVIDERS</c> and recorded as the notification's provider.</summary>
    string Name { get; }

    /// <summary>False when the provider cannot send this kind at all (a template provider with no template for it).</summary>
    bool Supports(string kind, string language);

    Task<SendOutcome> SendAsync(SmsMessage message, CancellationToken cancellationToken);
}
