using System.Text.Json;

namespace WeDrawOS.Services.Caching;

/// <summary>
/// A message received on a pub/sub channel. <see cref="Payload"/> is the text as published: JSON for objects
/// (as the original <c>publish('notifications', { type, content })</c> sends), the plain text for strings.
/// </summary>
public sealed record CacheMessage(string Channel, string Payload)
{
    /// <summary>The payload read as JSON (web defaults: camelCase, case-insensitive).</summary>
    /// <exception cref="JsonException">when the payload is not JSON for <typeparamref name="T"/>.</exception>
    public T? As<T>() => typeof(T) == typeof(string)
        ? (T)(object)Payload
        : JsonSerializer.Deserialize<T>(Payload, CacheCodec.Json);
}
