using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Configuration;

namespace WeDrawOS.WebFront.Pages;

/// <summary>Settings of the agent console and the customer chat (<c>/console/</c>, <c>/chat/</c>).</summary>
public sealed class PagesOptions : ISettings
{
    /// <summary>
    /// Where the pages get a token outside Development: called by the browser with its cookies (the user signed in to
    /// the main WeDrawOS system), answering <c>{ "token": "..." }</c>. A path on this front's origin (<c>/auth/token</c>,
    /// behind the same reverse proxy) or an http(s) URL, whose origin the pages' Content-Security-Policy then allows.
    /// </summary>
    [ConfigurationKeyName("CONSOLE_TOKEN_URL")]
    public string? ConsoleTokenUrl { get; set; }

    /// <summary>The origin of an absolute <see cref="ConsoleTokenUrl"/>, or null when it is a path (same origin) or unset.</summary>
    public string? ConsoleTokenOrigin =>
        Uri.TryCreate(ConsoleTokenUrl, UriKind.Absolute, out var url) && IsHttp(url) ? url.GetLeftPart(UriPartial.Authority) : null;

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        if (ConsoleTokenUrl is null)
        {
            return;
        }

        var isPath = ConsoleTokenUrl.StartsWith('/') && !ConsoleTokenUrl.StartsWith("//", StringComparison.Ordinal)
            && Uri.IsWellFormedUriString(ConsoleTokenUrl, UriKind.Relative);
        if (!isPath && ConsoleTokenOrigin is null)
        {
            errors.Add("CONSOLE_TOKEN_URL", $"'{ConsoleTokenUrl}' is neither an http(s) URL nor a path starting with '/'");
        }
    }

    private static bool IsHttp(Uri url) => url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp;
}
