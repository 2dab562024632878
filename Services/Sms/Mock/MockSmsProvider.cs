using Microsoft.Extensions.Logging;
using WeDrawOS.Notifications.Sms;
using WeDrawOS.Services.Notifications;

namespace WeDrawOS.Services.Sms.Mock;

/// <summary>
/// The embedded default: records the message as sent by <c>mock</c> and logs that it did, without the text
/// (which may hold a code); nothing goes on the network.
/// </summary>
public sealed class MockSmsProvider(ILogger<MockSmsProvider> logger) : ISmsProvider
{
    public const string ProviderName = "mock";

    public string Name => ProviderName;

    public bool Supports(string kind, string language) => true;

    public Task<SendOutcome> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        SmsLog.MockRecorded(logger, message.Id, message.Kind, PhoneNumberNormalizer.Mask(message.To));
        return Task.FromResult(SendOutcome.Sent(Name, "mock-" + message.Id));
    }
}
