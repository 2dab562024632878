using Microsoft.Extensions.DependencyInjection;
using WeDrawOS.Services.Notifications;
using WeDrawOS.Services.Templates;

namespace WeDrawOS.Services.Email;

/// <summary>Wires e-mail delivery: the SMTP state the health check reads everywhere, and the sending side where the outboxes live.</summary>
public static class EmailServiceCollectionExtensions
{
    /// <summary>
    /// Adds the SMTP state; with <paramref name="hostsGrains"/>, also the templates, the composer, the
    /// transport for <paramref name="mail"/> (SMTP pool, or pickup when no host is set) and the e-mail sender.
    /// </summary>
    public static IServiceCollection AddWeDrawOSEmail(this IServiceCollection services, MailOptions mail, bool hostsGrains)
    {
        services.AddSingleton<SmtpServerState>();
        if (!hostsGrains)
        {
            return services;
        }

        services.AddSingleton<EmailTemplates>();
        services.AddSingleton<EmailComposer>();
        if (mail.PickupMode)
        {
            services.AddSingleton<IMailTransport, PickupMailTransport>();
        }
        else
        {
            services.AddSingleton<SmtpClientFactory>();
            services.AddSingleton<SmtpConnectionPool>();
            services.AddSingleton<IMailTransport, SmtpMailTransport>();
        }

        services.AddSingleton<INotificationSender, EmailSender>();
        services.AddHostedService<EmailStartupLog>();
        return services;
    }
}
