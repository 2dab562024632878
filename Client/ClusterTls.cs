using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;
using Orleans.Hosting;
using WeDrawOS.Configuration;

namespace WeDrawOS.Client;

/// <summary>
/// Mutual TLS on the connections of the cluster (<see cref="ClusterTlsOptions"/>): silo to silo, and every client
/// (fronts, services using this library) to the gateways. The peer's certificate is pinned: it must be the cluster
/// certificate itself (same SHA-256 of its DER bytes), whatever its name or issuer, and TLS proves the peer holds its
/// private key. A peer without it fails the handshake and is disconnected.
/// </summary>
public static class ClusterTls
{
    /// <summary>Client side: connects to the gateways over TLS when <c>ORLEANS_TLS_CERT_PATH</c> is set.</summary>
    public static IClientBuilder UseWeDrawOSTls(this IClientBuilder client, ClusterTlsOptions tls)
    {
        if (tls.Enabled)
        {
            var certificate = tls.LoadCertificate();
            client.UseTls(certificate, options => Pin(options, certificate));
        }

        return client;
    }

    /// <summary>What both sides require: the peer presents <paramref name="certificate"/>, and nothing else passes.</summary>
    public static void Pin(TlsOptions options, X509Certificate2 certificate)
    {
        var pinned = certificate.GetCertHash(HashAlgorithmName.SHA256);
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        // Chain and name errors are expected for a self-signed cluster certificate; the pin replaces both checks.
        options.RemoteCertificateValidation = (remote, _, _) => CryptographicOperations.FixedTimeEquals(remote.GetCertHash(HashAlgorithmName.SHA256), pinned);
    }
}
