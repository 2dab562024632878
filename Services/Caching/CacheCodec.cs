using System.Text;
using System.Text.Json;
using StackExchange.Redis;

namespace WeDrawOS.Services.Caching;

/// <summary>
/// Turns values into the bytes stored in Redis and back. Strings are stored as their plain UTF-8 text so that
/// services in other languages read them as they are; everything else is JSON with web defaults (camelCase).
/// </summary>
internal static class CacheCodec
{
    public static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <summary>A string stays a string (encoded to UTF-8 while being written, no copy); anything else becomes JSON bytes.</summary>
    public static RedisValue Encode<T>(T value) => value switch
    {
        null => throw new ArgumentNullException(nameof(value), "Cache values must not be null; delete the key instead."),
        string text => text,
        _ => JsonSerializer.SerializeToUtf8Bytes(value, Json),
    };

    /// <summary>Reads a stored value; <paramref name="value"/> must not be null (a miss is handled by the caller).</summary>
    public static T? Decode<T>(string key, RedisValue value)
    {
        if (typeof(T) == typeof(string))
        {
            // Straight from the reply's bytes: no intermediate byte array on the hot path.
            return (T)(object)(string)value!;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(((ReadOnlyMemory<byte>)value).Span, Json);
        }
        catch (JsonException e)
        {
            // The message names the key and type only: values may be personal data and are never echoed.
            throw new InvalidOperationException($"The cached value of '{key}' cannot be read as {typeof(T).Name}.", e);
        }
    }
}
