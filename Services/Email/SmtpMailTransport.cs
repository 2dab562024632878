using System.Diagnostics;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using WeDrawOS.Services.Notifications;
using WeDrawOS.Services.Telemetry;

namespace WeDrawOS.Services.Email;

/// <summary>
/// Sends through the configured SMTP server over pooled connections: implicit TLS (<c>MAIL_SECURE=true</c>) or
/// STARTTLS when offered, authentication when <c>MAIL_USER</c> is set, and only over TLS unless
/// <c>MAIL_ALLOW_PLAINTEXT_AUTH</c> allows otherwise. A 5xx reply is permanent; a 4xx reply,
/// a timeout or a connection failure is transient. A reused connection that turns out stale is replaced and
/// the message tried once more on a fresh one before the attempt counts as failed.
/// </summary>
public sealed partial class SmtpMailTransport(
    SmtpConnectionPool pool,
    SmtpServerState state,
    IOptions<MailOptions> options,
    ILogger<SmtpMailTransport> logger) : IMailTransport
{
    public string Name => "smtp";

    public async Task<SendOutcome> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var activity = WeDrawOSTracing.Source.StartActivity("smtp send", ActivityKind.Client);
        activity?.SetTag("server.address", options.Value.Host);
        using var lease = await pool.RentAsync(cancellationToken);
        while (true)
        {
            try
            {
                if (!lease.Client.IsConnected)
                {
                    await ConnectAsync(lease, cancellationToken);
                }

                await lease.Client.SendAsync(message, cancellationToken);
                state.NoteReachable();
                return SendOutcome.Sent(Name, message.MessageId);
            }
            catch (SmtpCommandException e)
            {
                // The server answered, so the connection is fine unless it said it is closing it (421).
                var code = (int)e.StatusCode;
                if (code == 421)
                {
                    lease.MarkBroken();
                }

                state.NoteReachable();
                LogRejected(code, e.ErrorCode);
                var reason = $"{code} {e.Message}";
                return code >= 500 ? SendOutcome.Permanent(Name, reason) : SendOutcome.Transient(Name, reason);
            }
            catch (PlaintextAuthenticationRefusedException e)
            {
                lease.MarkBroken();
                state.NoteRefused(e.Message);
                LogPlaintextRefused(options.Value.Host!, options.Value.Port);
                return SendOutcome.Transient(Name, e.Message);
            }
            catch (AuthenticationException e)
            {
                lease.MarkBroken();
                state.NoteRefused("the SMTP server refused the configured credentials");
                LogAuthenticationFailed(e.GetType().Name);
                return SendOutcome.Transient(Name, "the SMTP server refused the configured credentials");
            }
            catch (Exception e) when (IsConnectionFailure(e) && !cancellationToken.IsCancellationRequested)
            {
                if (lease.Reused)
                {
                    // An idle pooled connection the server has closed in the meantime: not the server's failure.
                    lease.Replace();
                    continue;
                }

                lease.MarkBroken();
                var mail = options.Value;
                var reason = $"cannot reach {mail.Host}:{mail.Port}: {e.Message}";
                LogUnreachable(mail.Host!, mail.Port, e.GetType().Name);
                return SendOutcome.Transient(Name, reason);
            }
            catch (OperationCanceledException)
            {
                lease.MarkBroken();
                throw;
            }
        }
    }

    private async Task ConnectAsync(SmtpLease lease, CancellationToken cancellationToken)
    {
        var mail = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(mail.Timeout);
        try
        {
            var security = mail.Secure ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable;
            await lease.Client.ConnectAsync(mail.Host!, mail.Port, security, timeout.Token);
            if (!string.IsNullOrEmpty(mail.User))
            {
                if (!lease.Client.IsSecure && !mail.AllowPlaintextAuth)
                {
                    throw new PlaintextAuthenticationRefusedException();
                }

                await lease.Client.AuthenticateAsync(mail.User, mail.Password ?? "", timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no connection within {mail.TimeoutMs} ms");
        }
    }

    private static bool IsConnectionFailure(Exception e) =>
        e is IOException or SocketException or TimeoutException or SmtpProtocolException or ServiceNotConnectedException
            or SslHandshakeException or OperationCanceledException;

    [LoggerMessage(Level = LogLevel.Information, Message = "The SMTP server rejected a message: {StatusCode} ({ErrorCode})")]
    private partial void LogRejected(int statusCode, SmtpErrorCode errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP server {Host}:{Port} offers no TLS: the credentials were not sent (MAIL_ALLOW_PLAINTEXT_AUTH=true allows it)")]
    private partial void LogPlaintextRefused(string host, int port);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP authentication failed ({Exception})")]
    private partial void LogAuthenticationFailed(string exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP server {Host}:{Port} unreachable ({Exception}); messages wait in their outboxes")]
    private partial void LogUnreachable(string host, int port, string exception);
}
