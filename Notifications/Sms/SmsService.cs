using System.Globalization;
using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Notifications.Verification;

namespace WeDrawOS.Notifications.Sms;

/// <summary>Validates on the caller's side, then queues in the numbers' outboxes (directly, or through the batch worker).</summary>
public sealed class SmsService(IGrainFactory grains, IOptions<SmsOptions> sms, IOptions<NotificationOptions> notifications) : ISmsService
{
    /// <summary>Items per call to the batch worker: large enough to amortise the call, small enough to stay well inside call timeouts.</summary>
    private const int Chunk = 500;

    /// <exception cref="VerificationRateLimitedException">when the number's verification-code limits (VERIFICATION_RATE_*) are reached.</exception>
    public async Task<string> SendVerificationCode(string phone, string code, int expireMinutes, string? language = null)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 16 || !code.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException("code must be 1 to 16 letters or digits");
        }

        if (expireMinutes is < 1 or > 1440)
        {
            throw new ArgumentException("expireMinutes must be from 1 to 1440");
        }

        var request = new NotificationRequest(NotificationKinds.VerificationCode,
            new Dictionary<string, string> { ["code"] = code, ["expireMinutes"] = expireMinutes.ToString(CultureInfo.InvariantCulture) }, language);
        if (!SmsRequestValidator.TryValidate(phone, request, sms.Value, out var e164, out var error))
        {
            throw new ArgumentException(error);
        }

        return await CallerCodes.SendAsync(grains, new NotifierKey(NotificationChannel.Sms, e164).ToString(), code, expireMinutes, language);
    }

    public Task<string> SendNotification(string phone, string title, string content, string? language = null) =>
        QueueAsync(phone, new NotificationRequest(NotificationKinds.Notification,
            new Dictionary<string, string> { ["title"] = title ?? "", ["content"] = content ?? "" }, language));

    public Task<string> Send(SmsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueueAsync(request.Phone, ToNotification(request));
    }

    public async Task<IReadOnlyList<SmsBatchResult>> SendBatch(IReadOnlyList<SmsRequest> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            throw new ArgumentException("a batch needs at least one message");
        }

        if (messages.Count > notifications.Value.BatchMax)
        {
            throw new ArgumentException($"a batch has at most {notifications.Value.BatchMax} messages");
        }

        var results = new SmsBatchResult[messages.Count];
        var valid = new List<(int Index, BatchNotification Item)>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message is null)
            {
                results[i] = new SmsBatchResult("", null, "the message is empty");
                continue;
            }

            try
            {
                var request = ToNotification(message);
                if (!SmsRequestValidator.TryValidate(message.Phone, request, sms.Value, out var e164, out var error))
                {
                    results[i] = new SmsBatchResult(message.Phone ?? "", null, error);
                    continue;
                }

                valid.Add((i, new BatchNotification(new NotifierKey(NotificationChannel.Sms, e164).ToString(), request)));
            }
            catch (ArgumentException e)
            {
                results[i] = new SmsBatchResult(message.Phone ?? "", null, e.Message);
            }
        }

        var worker = grains.GetGrain<INotificationBatchGrain>(0);
        foreach (var chunk in valid.Chunk(Chunk))
        {
            var queued = await worker.EnqueueBatch(chunk.Select(c => c.Item).ToArray());
            for (var j = 0; j < chunk.Length; j++)
            {
                results[chunk[j].Index] = new SmsBatchResult(messages[chunk[j].Index].Phone, queued[j].Id, queued[j].Error);
            }
        }

        return results;
    }

    public Task<IReadOnlyList<NotificationRecord>> History(string phone, int limit)
    {
        if (!PhoneNumberNormalizer.TryNormalize(phone, sms.Value.DefaultRegion, out var e164, out var error))
        {
            throw new ArgumentException(error);
        }

        return grains.GetGrain<INotifierGrain>(new NotifierKey(NotificationChannel.Sms, e164).ToString()).History(limit);
    }

    private static NotificationRequest ToNotification(SmsRequest request)
    {
        if (request.Type is { Length: > 0 } type && !string.Equals(type, NotificationKinds.Custom, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("type must be 'custom'; codes and notifications have their own endpoints (verification-code, notification)");
        }

        return new NotificationRequest(NotificationKinds.Custom, new Dictionary<string, string> { ["content"] = request.Content ?? "" }, request.Language, request.Provider);
    }

    private async Task<string> QueueAsync(string phone, NotificationRequest request)
    {
        if (!SmsRequestValidator.TryValidate(phone, request, sms.Value, out var e164, out var error))
        {
            throw new ArgumentException(error);
        }

        var record = await grains.GetGrain<INotifierGrain>(new NotifierKey(NotificationChannel.Sms, e164).ToString()).Enqueue(request);
        return record.Id;
    }
}
