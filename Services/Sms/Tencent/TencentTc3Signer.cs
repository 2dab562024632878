using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WeDrawOS.Services.Sms.Tencent;

/// <summary>
/// Tencent Cloud API 3.0 signature TC3-HMAC-SHA256 for a POST with a JSON body, signing the headers
/// <c>content-type</c> and <c>host</c>. Mechanism and example: "Signature v3",
/// https://www.tencentcloud.com/document/api/266/34114 (the same page exists for every product).
/// </summary>
public static class TencentTc3Signer
{
    public const string Algorithm = "TC3-HMAC-SHA256";

    public static string CanonicalRequest(string contentType, string host, string payload) =>
        "POST\n/\n\n" +
        "content-type:" + contentType.ToLowerInvariant() + "\n" +
        "host:" + host.ToLowerInvariant() + "\n\n" +
        "content-type;host\n" +
        Sha256Hex(payload);

    public static string StringToSign(long timestamp, string service, string canonicalRequest) =>
        Algorithm + "\n" +
        timestamp.ToString(CultureInfo.InvariantCulture) + "\n" +
        CredentialScope(timestamp, service) + "\n" +
        Sha256Hex(canonicalRequest);

    /// <summary>The date (UTC, from the timestamp, never local time) / service / tc3_request.</summary>
    public static string CredentialScope(long timestamp, string service) =>
        DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "/" + service + "/tc3_request";

    public static string Signature(string secretKey, long timestamp, string service, string stringToSign)
    {
        var date = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var secretDate = Hmac(Encoding.UTF8.GetBytes("TC3" + secretKey), date);
        var secretService = Hmac(secretDate, service);
        var secretSigning = Hmac(secretService, "tc3_request");
        return Convert.ToHexStringLower(Hmac(secretSigning, stringToSign));
    }

    /// <summary>The whole <c>Authorization</c> header value.</summary>
    public static string Authorization(string secretId, string secretKey, long timestamp, string service, string contentType, string host, string payload)
    {
        var stringToSign = StringToSign(timestamp, service, CanonicalRequest(contentType, host, payload));
        return $"{Algorithm} Credential={secretId}/{CredentialScope(timestamp, service)}, SignedHeaders=content-type;host, Signature={Signature(secretKey, timestamp, service, stringToSign)}";
    }

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static byte[] Hmac(byte[] key, string message) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(message));
}
