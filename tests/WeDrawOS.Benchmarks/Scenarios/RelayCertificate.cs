using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Benchmarks.Scenarios;

/// <summary>
/// A self-signed RSA 2048 certificate for 127.0.0.1 that is its own CA (trusted through MAIL_CA_FILE, as a relay
/// with a private CA), and relay credentials made up for this run.
/// </summary>
internal sealed class RelayCertificate : IDisposable
{
    private const string User = "relay-user";
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("wedrawos-bench-tls-");
    private readonly string _password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private readonly string _keyFile;

    public RelayCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=wedrawos-bench-smtp", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        CertificateFile = Path.Combine(_folder.FullName, "cert.pem");
        _keyFile = Path.Combine(_folder.FullName, "key.pem");
        File.WriteAllText(CertificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(_keyFile, rsa.ExportPkcs8PrivateKeyPem());
    }

    public string CertificateFile { get; }

    public SmtpSecurity Security(bool implicitTls) => new(CertificateFile, _keyFile, implicitTls, User, _password);

    public void Dispose() => _folder.Delete(recursive: true);
}
