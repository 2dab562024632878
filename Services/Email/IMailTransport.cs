using MimeKit;
using WeDrawOS.Services.Notifications;

namespace WeDrawOS.Services.Email;

/// <summary>Hands a composed message to an SMTP server or the pickup folder: one attempt, classified.</summary>
public interface IMailTransport
{
    /// <summary><c>smtp</c> or <c>pickup</c>: the <c>provider</c> of the notifications it sends.</summary>
    string Name { get; }

    Task<SendOutcome> SendAsync(MimeMessage message, CancellationToken cancellationToken);
}
