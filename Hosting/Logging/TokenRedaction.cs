using System.Text.RegularExpressions;

namespace WeDrawOS.Hosting.Logging;

/// <summary>
/// Finds and masks bearer tokens in log text: the value of an <c>access_token</c> query parameter (browsers put the
/// socket's token in the URL, which hosting logs with the request line) and anything shaped like a JWT.
/// </summary>
public static partial class TokenRedaction
{
    /// <summary>What a masked token reads as.</summary>
    public const string Mask = "[redacted]";

    /// <summary>Cheap pre-check: false means the text certainly holds no token.</summary>
    public static bool MayContainToken(string? text) =>
        text is not null && (text.Contains("access_token", StringComparison.OrdinalIgnoreCase) || text.Contains("eyJ", StringComparison.Ordinal));

    /// <summary>The text with every token masked.</summary>
    public static string Redact(string text) =>
        MayContainToken(text) ? Jwt().Replace(AccessTokenParameter().Replace(text, "$1" + Mask), Mask) : text;

    [GeneratedRegex(@"(access_token(?:=|%3D))[^&\s""'#]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AccessTokenParameter();

    // A JWS compact serialisation starts with the base64url of '{"' ("eyJ"); the signature may be empty (alg none).
    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();
}
