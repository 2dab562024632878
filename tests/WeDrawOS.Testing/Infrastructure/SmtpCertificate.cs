using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WeDrawOS.Tests.Infrastructure;

/// <summary>
/// A self-signed RSA 2048 certificate for 127.0.0.1 and localhost that is its own CA, as PEM files in a temporary
/// folder: the test SMTP server presents it, and a client trusts it only through <c>MAIL_CA_FILE</c>, as with a relay
/// behind a private CA.
/// </summary>
public sealed class SmtpCertificate : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("wedrawos-smtp-tls-");

    public SmtpCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=wedrawos-test-smtp", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        CertificateFile = Path.Combine(_folder.FullName, "cert.pem");
        KeyFile = Path.Combine(_folder.FullName, "key.pem");
        File.WriteAllText(CertificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(KeyFile, rsa.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>The certificate (PEM); also what <c>MAIL_CA_FILE</c> points at to trust it.</summary>
    public string CertificateFile { get; }

    public string KeyFile { get; }

    /// <summary>What the test server needs to require TLS (implicit or STARTTLS) and, with a user, authentication.</summary>
    public SmtpSecurity Security(bool implicitTls, string? user = null, string? password = null) =>
        new(CertificateFile, KeyFile, implicitTls, user, password);

    public void Dispose() => _folder.Delete(recursive: true);
}
