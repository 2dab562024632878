using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;
using Orleans.Hosting;

namespace WeDrawOS.Grains.Hosting;

/// <summary>
/// Mutual TLS on the silo-to-silo and gateway connections (<see cref="ClusterTlsOptions"/>). The peer's certificate
/// is pinned: it must be the cluster certificate itself (same SHA-256 of its DER bytes), whatever its name or issuer,
/// and TLS proves the peer holds its private key. A peer without it fails the handshake and is disconnected.
/// </summary>
public static class ClusterTlsExtensions
{
    public static ISiloBuilder UseWeDrawOSTls(this ISiloBuilder silo, ClusterTlsOptions tls)
    {
        if (tls.Enabled)
        {
            var certificate = tls.LoadCertificate();
            silo.UseTls(certificate, options => Configure(options, certificate));
        }

        return silo;
    }

    public static IClientBuilder UseWeDrawOSTls(this IClientBuilder client, ClusterTlsOptions tls)
    {
        if (tls.Enabled)
        {
            var certificate = tls.LoadCertificate();
            client.UseTls(certificate, options => Configure(options, certificate));
        }

        return client;
    }

    private static void Configure(TlsOptions options, X509Certificate2 certificate)
    {
        var pinned = certificate.GetCertHash(HashAlgorithmName.SHA256);
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        // Chain and name errors are expected for a self-signed cluster certificate; the pin replaces both checks.
        options.RemoteCertificateValidation = (remote, _, _) => CryptographicOperations.FixedTimeEquals(remote.GetCertHash(HashAlgorithmName.SHA256), pinned);
    }
}
