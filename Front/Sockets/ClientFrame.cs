using System.Text.Json;

namespace WeDrawOS.Front.Sockets;

/// <summary>Reads the fields of one client frame, turning every wrong field into a <see cref="FrameException"/> with a clear message.</summary>
internal readonly struct ClientFrame(JsonElement root)
{
    /// <summary>Longest room id, user id or client message id accepted.</summary>
    public const int MaxIdLength = 128;

    /// <summary>The frame's <c>id</c>, to echo in its answer; null when absent, not a string or unreadable.</summary>
    public string? Id { get; } = root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? Readable(id) : null;

    public bool Has(string name) => root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public string RequiredId(string name) => OptionalId(name) ?? throw new FrameException("bad_request", $"`{name}` is required (a non-empty string) / 缺少 `{name}`");

    public string? OptionalId(string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = value.ValueKind == JsonValueKind.String ? TextOf(value) : null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxIdLength || text.Any(char.IsControl))
        {
            throw new FrameException("bad_request", $"`{name}` must be a string of 1 to {MaxIdLength} printable characters / `{name}` 必须是 1 到 {MaxIdLength} 个可打印字符");
        }

        return text;
    }

    public long? OptionalNumber(string name, long min, long max)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || number < min || number > max)
        {
            throw new FrameException("bad_request", $"`{name}` must be a whole number from {min} to {max} / `{name}` 必须是 {min} 到 {max} 之间的整数");
        }

        return number;
    }

    /// <summary>A required string field of any length (a token).</summary>
    public string RequiredJsonString(string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && TextOf(value) is { Length: > 0 } text
            ? text
            : throw new FrameException("bad_request", $"`{name}` must be a non-empty string / `{name}` 必须是非空字符串");

    /// <summary>The raw JSON text of a required field of any JSON type.</summary>
    public string RequiredJson(string name) =>
        root.TryGetProperty(name, out var value) ? value.GetRawText() : throw new FrameException("bad_request", $"`{name}` is required / 缺少 `{name}`");

    /// <summary>
    /// A JSON string as text. A lone surrogate escape (<c>"\ud800"</c>) is valid JSON that no .NET string can be read
    /// from: it is the client's mistake, answered <c>bad_request</c>, not a failure of the server.
    /// </summary>
    public static string TextOf(JsonElement value) => Readable(value)
        ?? throw new FrameException("bad_request", "字符串含有无效的 Unicode 字符（孤立的代理项） / a string holds invalid Unicode (a lone surrogate)");

    /// <summary>The text of a JSON string, or null when it cannot be read.</summary>
    private static string? Readable(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
