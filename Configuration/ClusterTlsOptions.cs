using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace WeDrawOS.Configuration;

/// <summary>
/// TLS between silos and between fronts and silos' gateways: every silo and front presents the same cluster
/// certificate (a PKCS#12 file with its private key) and accepts only a peer that presents it too, so the silo and
/// gateway ports serve members of the cluster only. Unset: plain TCP, as Orleans' default.
/// </summary>
public sealed class ClusterTlsOptions : ISettings
{
    /// <summary>PKCS#12 (.pfx) file with the cluster certificate and its private key.</summary>
    [ConfigurationKeyName("ORLEANS_TLS_CERT_PATH")]
    public string? CertificatePath { get; set; }

    /// <summary>Password of <see cref="CertificatePath"/> (a secret).</summary>
    [ConfigurationKeyName("ORLEANS_TLS_CERT_PASSWORD")]
    public string? CertificatePassword { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        if (!Enabled)
        {
            if (!string.IsNullOrEmpty(CertificatePassword))
            {
                errors.Add("ORLEANS_TLS_CERT_PASSWORD", "is set but ORLEANS_TLS_CERT_PATH is not");
            }

            return;
        }

        try
        {
            using var certificate = LoadCertificate();
            if (!certificate.HasPrivateKey)
            {
                errors.Add("ORLEANS_TLS_CERT_PATH", $"'{CertificatePath}' holds no private key");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            // The message says what failed (missing file, wrong password); it never contains the password.
            errors.Add("ORLEANS_TLS_CERT_PATH", $"'{CertificatePath}' cannot be read as a PKCS#12 file with ORLEANS_TLS_CERT_PASSWORD: {e.Message}");
        }
    }

    /// <summary>The cluster certificate with its private key.</summary>
    public X509Certificate2 LoadCertificate() => X509CertificateLoader.LoadPkcs12FromFile(CertificatePath!, CertificatePassword);
}
