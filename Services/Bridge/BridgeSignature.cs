using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeDrawOS.Services.Bridge;

/// <summary>
/// Proof that a bridged message comes from a publisher that knows <c>CACHE_BRIDGE_SECRET</c>. A signed message is the
/// envelope <c>{"sig": hex(HMAC-SHA256(secret, body)), "body": "&lt;the message's JSON, as a string&gt;"}</c>: the
/// body is signed as the exact UTF-8 bytes the publisher wrote, so no JSON canonicalisation is involved. With a
/// secret, only envelopes with a matching signature pass; without one, plain messages pass as before and envelopes
/// are opened unchecked (so publishers can start signing before the secret is switched on).
/// </summary>
public sealed class BridgeSignature(string? secret)
{
    /// <summary>Shortest secret accepted.</summary>
    public const int MinimumSecretLength = 32;

    private readonly byte[]? _key = string.IsNullOrEmpty(secret) ? null : Encoding.UTF8.GetBytes(secret);

    /// <summary>True when messages must be signed.</summary>
    public bool Required => _key is not null;

    /// <summary>The message inside <paramref name="published"/>, or why it is not accepted (never quoting it).</summary>
    public bool TryOpen(string published, out string? message, out string? problem)
    {
        message = null;
        var envelope = Envelope(published);
        if (envelope is null)
        {
            problem = Required ? "the message is not signed (CACHE_BRIDGE_SECRET is set)" : null;
            message = Required ? null : published;
            return !Required;
        }

        var (signature, body) = envelope.Value;
        if (_key is not null && !Matches(signature, body))
        {
            problem = "the signature does not match the body";
            return false;
        }

        problem = null;
        message = body;
        return true;
    }

    /// <summary>The hex signature of <paramref name="body"/> under <paramref name="secret"/>: what a publisher sends as <c>sig</c>.</summary>
    public static string Sign(string secret, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private bool Matches(string signature, string body)
    {
        byte[] presented;
        try
        {
            presented = Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(presented, HMACSHA256.HashData(_key!, Encoding.UTF8.GetBytes(body)));
    }

    private static (string Signature, string Body)? Envelope(string published)
    {
        try
        {
            return JsonNode.Parse(published) is JsonObject { Count: 2 } json
                && json["sig"] is JsonValue sig && sig.TryGetValue<string>(out var signature)
                && json["body"] is JsonValue body && body.TryGetValue<string>(out var text)
                ? (signature, text)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
