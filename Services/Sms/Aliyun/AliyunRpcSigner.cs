using System.Security.Cryptography;
using System.Text;

namespace WeDrawOS.Services.Sms.Aliyun;

/// <summary>
/// Aliyun RPC signature (SignatureVersion 1.0, HMAC-SHA1): parameters sorted by name, percent-encoded per RFC 3986,
/// <c>METHOD&amp;%2F&amp;encode(query)</c> signed with <c>secret + "&amp;"</c>, Base64.
/// Mechanism: https://help.aliyun.com/document_detail/56189.html (SendSms example) and the RPC signature page.
/// </summary>
public static class AliyunRpcSigner
{
    /// <summary>The string that is signed; public so a stub can show what it expected.</summary>
    public static string StringToSign(string method, IEnumerable<KeyValuePair<string, string>> parameters) =>
        method + "&" + Encode("/") + "&" + Encode(CanonicalQuery(parameters));

    public static string Sign(string method, IEnumerable<KeyValuePair<string, string>> parameters, string accessKeySecret)
    {
        var key = Encoding.UTF8.GetBytes(accessKeySecret + "&");
        var data = Encoding.UTF8.GetBytes(StringToSign(method, parameters));
        return Convert.ToBase64String(HMACSHA1.HashData(key, data));
    }

    /// <summary>Sorted <c>name=value</c> pairs joined by <c>&amp;</c>, without the <c>Signature</c> itself.</summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join("&", parameters
            .Where(p => p.Key != "Signature")
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Encode(p.Key) + "=" + Encode(p.Value)));

    /// <summary>RFC 3986 percent-encoding of UTF-8 (only A-Z a-z 0-9 - _ . ~ stay), which is what Aliyun requires.</summary>
    public static string Encode(string value) => Uri.EscapeDataString(value);
}
