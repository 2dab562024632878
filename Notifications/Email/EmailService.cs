using System.Globalization;
using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Notifications.Verification;

namespace WeDrawOS.Notifications.Email;

/// <summary>Validates on the caller's side, then queues in the recipients' outboxes (directly, or through the batch worker).</summary>
public sealed class EmailService(IGrainFactory grains, IOptions<NotificationOptions> options) : IEmailService
{
    /// <summary>Items per call to the batch worker: large enough to amortise the call, small enough to stay well inside call timeouts.</summary>
    private const int Chunk = 500;

    public Task<string> SendMail(string to, string subject, string? text, string? html) =>
        QueueAsync(to, NotificationKinds.Custom, null, Fields(
            (EmailFields.Subject, subject), (EmailFields.Text, text), (EmailFields.Html, html)));

    /// <exception cref="VerificationRateLimitedException">when the address's verification-code limits (VERIFICATION_RATE_*) are reached.</exception>
    public Task<string> SendVerificationCode(string email, string code, int expireMinutes, string? language = null)
    {
        var request = new NotificationRequest(NotificationKinds.VerificationCode, Fields(
            (EmailFields.Code, code), (EmailFields.ExpireMinutes, expireMinutes.ToString(CultureInfo.InvariantCulture))), language);
        return Check(email, request, out var key) is { } error
            ? throw new ArgumentException(error)
            : CallerCodes.SendAsync(grains, key, code, expireMinutes, language);
    }

    public Task<string> SendPasswordResetEmail(string email, string resetToken, int expireHours, string? language = null) =>
        QueueAsync(email, NotificationKinds.PasswordReset, language, Fields(
            (EmailFields.ResetToken, resetToken), (EmailFields.ExpireHours, expireHours.ToString(CultureInfo.InvariantCulture))));

    public Task<string> SendActivationEmail(string email, string activationToken, string? language = null) =>
        QueueAsync(email, NotificationKinds.Activation, language, Fields((EmailFields.ActivationToken, activationToken)));

    public Task<string> SendNotification(string email, string title, string content, string? language = null) =>
        QueueAsync(email, NotificationKinds.Notification, language, Fields((EmailFields.Title, title), (EmailFields.Content, content)));

    public async Task<IReadOnlyList<EmailBatchResult>> SendBatch(IReadOnlyList<EmailMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count > options.Value.BatchMax)
        {
            throw new ArgumentException($"a batch has at most {options.Value.BatchMax} messages");
        }

        var results = new EmailBatchResult[messages.Count];
        var valid = new List<(int Index, BatchNotification Item)>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var request = new NotificationRequest(NotificationKinds.Custom, Fields(
                (EmailFields.Subject, message?.Subject), (EmailFields.Text, message?.Text), (EmailFields.Html, message?.Html)));
            if (message is null)
            {
                results[i] = new EmailBatchResult("", null, "the message is empty");
            }
            else if (Check(message.To, request, out var key) is { } error)
            {
                results[i] = new EmailBatchResult(message.To ?? "", null, error);
            }
            else
            {
                valid.Add((i, new BatchNotification(key, request)));
            }
        }

        var worker = grains.GetGrain<INotificationBatchGrain>(0);
        foreach (var chunk in valid.Chunk(Chunk))
        {
            var queued = await worker.EnqueueBatch(chunk.Select(c => c.Item).ToArray());
            for (var j = 0; j < chunk.Length; j++)
            {
                results[chunk[j].Index] = new EmailBatchResult(messages[chunk[j].Index].To, queued[j].Id, queued[j].Error);
            }
        }

        return results;
    }

    /// <summary>Null when the request is valid (its outbox key in <paramref name="key"/>), otherwise what is wrong.</summary>
    private static string? Check(string? to, NotificationRequest request, out string key)
    {
        key = "";
        if (!EmailAddresses.TryNormalize(to, out var address, out var addressError))
        {
            return addressError;
        }

        if (EmailRequestValidator.Validate(address, request) is { } problem)
        {
            return problem;
        }

        key = new NotifierKey(NotificationChannel.Email, address).ToString();
        return null;
    }

    private async Task<string> QueueAsync(string to, string kind, string? language, Dictionary<string, string> fields)
    {
        var request = new NotificationRequest(kind, fields, language);
        if (Check(to, request, out var key) is { } error)
        {
            throw new ArgumentException(error);
        }

        var record = await grains.GetGrain<INotifierGrain>(key).Enqueue(request);
        return record.Id;
    }

    private static Dictionary<string, string> Fields(params (string Name, string? Value)[] values) =>
        values.Where(v => v.Value is not null).ToDictionary(v => v.Name, v => v.Value!, StringComparer.Ordinal);
}
