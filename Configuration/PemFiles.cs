using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WeDrawOS.Configuration;

/// <summary>Checks on certificate files named in settings, so a bad path stops the start rather than the first connection.</summary>
public static class PemFiles
{
    /// <summary>True when <paramref name="path"/> is a readable PEM file with at least one certificate.</summary>
    public static bool IsCertificateFile(string path)
    {
        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPemFile(path);
            return certificates.Count > 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return false;
        }
    }
}
