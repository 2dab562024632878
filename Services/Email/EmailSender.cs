using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Notifications.Email;
using WeDrawOS.Services.Notifications;

namespace WeDrawOS.Services.Email;

/// <summary>The e-mail channel of the outboxes: composes the message and hands it to SMTP or the pickup folder.</summary>
public sealed class EmailSender(EmailComposer composer, IMailTransport transport) : INotificationSender
{
    public NotificationChannel Channel => NotificationChannel.Email;

    public string? Validate(string to, NotificationRequest request) => EmailRequestValidator.Validate(to, request);

    public async Task<SendOutcome> SendAsync(OutgoingNotification notification, CancellationToken cancellationToken)
    {
        var problem = EmailRequestValidator.Validate(notification.To, new NotificationRequest(notification.Kind, notification.Fields, notification.Language));
        if (problem is not null)
        {
            return SendOutcome.Permanent(transport.Name, problem);
        }

        using var message = await composer.ComposeAsync(notification);
        return await transport.SendAsync(message, cancellationToken);
    }
}
