using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeDrawOS.Services.Templates;

namespace WeDrawOS.Services.Email;

/// <summary>
/// Says at start where e-mail goes (the pickup folder, or the SMTP server), and loads the templates so that a
/// broken override in <c>MAIL_TEMPLATE_DIR</c> stops the start rather than the first send.
/// </summary>
public sealed partial class EmailStartupLog(EmailTemplates templates, IOptions<MailOptions> options, ILogger<EmailStartupLog> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(templates);
        var mail = options.Value;
        if (mail.PickupMode)
        {
            PickupMailTransport.PrepareFolder(mail.PickupDirectory);
            LogPickup(Path.GetFullPath(mail.PickupDirectory));
        }
        else
        {
            LogSmtp(mail.Host!, mail.Port, mail.Secure ? "implicit TLS" : "STARTTLS when offered", !string.IsNullOrEmpty(mail.User), mail.PoolSize);
        }

        if (!string.IsNullOrWhiteSpace(mail.TemplateDirectory))
        {
            LogTemplateOverrides(Path.GetFullPath(mail.TemplateDirectory));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "E-mail in pickup mode: messages are written as .eml files to {Directory}")]
    private partial void LogPickup(string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "E-mail through SMTP {Host}:{Port} ({Security}, authenticated: {Authenticated}, {PoolSize} pooled connections)")]
    private partial void LogSmtp(string host, int port, string security, bool authenticated, int poolSize);

    [LoggerMessage(Level = LogLevel.Information, Message = "E-mail templates in {Directory} replace the built-in ones of the same name")]
    private partial void LogTemplateOverrides(string directory);
}
