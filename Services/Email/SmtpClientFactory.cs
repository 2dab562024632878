using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;

namespace WeDrawOS.Services.Email;

/// <summary>
/// Creates the SMTP clients of the pool: the configured timeout, and when <c>MAIL_CA_FILE</c> is set, certificate
/// validation that also trusts the CA certificates in that file (an internal relay with a private CA). The host
/// name must still match; nothing is ever accepted unchecked.
/// </summary>
public sealed class SmtpClientFactory
{
    private readonly int _timeoutMs;
    private readonly X509Certificate2Collection? _trusted;

    public SmtpClientFactory(IOptions<MailOptions> options)
    {
        _timeoutMs = options.Value.TimeoutMs;
        if (!string.IsNullOrWhiteSpace(options.Value.CaFile))
        {
            _trusted = [];
            _trusted.ImportFromPemFile(options.Value.CaFile);
        }
    }

    public SmtpClient Create()
    {
        var client = new SmtpClient { Timeout = _timeoutMs };
        if (_trusted is not null)
        {
            client.ServerCertificateValidationCallback = Validate;
        }

        return client;
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_trusted!);

        // A private CA rarely publishes revocation lists; trusting it is the operator's explicit decision.
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainElements.Select(e => e.Certificate).ToArray());
        }

        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }
}
