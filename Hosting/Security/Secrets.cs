using System.Security.Cryptography;
using System.Text;

namespace WeDrawOS.Hosting.Security;

/// <summary>Comparisons of presented credentials with configured ones.</summary>
public static class Secrets
{
    /// <summary>
    /// True when both are equal, in time that depends on neither value nor length: both sides are hashed first, so
    /// a guess learns nothing from how long the comparison took (not even the secret's length).
    /// </summary>
    public static bool FixedTimeEquals(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
