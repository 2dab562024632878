using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Configuration;

namespace WeDrawOS.Front.Sockets;

/// <summary>
/// <c>WS_ALLOWED_ORIGINS</c>: the web origins whose pages may open sockets. A browser always sends <c>Origin</c> with
/// a WebSocket upgrade, so this stops another site's page from using a visitor's token; a request without
/// <c>Origin</c> comes from a non-browser client and is not restricted by it. Unset: any origin.
/// </summary>
public sealed class WebSocketOriginOptions : ISettings
{
    /// <summary>Comma-separated origins, e.g. <c>https://app.example.com,https://admin.example.com</c>.</summary>
    [ConfigurationKeyName("WS_ALLOWED_ORIGINS")]
    public string? AllowedOrigins { get; set; }

    private HashSet<string>? _allowed;

    /// <summary>The origins in their normalised form (<c>scheme://host[:port]</c>, lower case, default port left out).</summary>
    public IReadOnlySet<string> AllowedOriginSet => _allowed ??= Entries().Select(Normalize).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>True when sockets from any origin are accepted.</summary>
    public bool AnyOrigin => AllowedOriginSet.Count == 0;

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        foreach (var entry in Entries().Where(e => Normalize(e) is null))
        {
            errors.Add("WS_ALLOWED_ORIGINS", $"'{entry}' is not an origin like https://app.example.com (scheme, host, optional port; no path)");
        }
    }

    /// <summary>True when a socket may be opened from a page of <paramref name="origin"/> (the request's <c>Origin</c>, or null).</summary>
    public bool Allows(string? origin) =>
        AnyOrigin || string.IsNullOrEmpty(origin) || (Normalize(origin) is { } normalized && AllowedOriginSet.Contains(normalized));

    private string[] Entries() => (AllowedOrigins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? Normalize(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/"
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo)
            ? uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant()
            : null;
}
