using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Realtime;

namespace WeDrawOS.WebFront.Pages;

/// <summary>
/// Serves the web pages of <c>wwwroot/</c> (the start page, the agent console at <c>/console/</c>, the customer chat at
/// <c>/chat/</c>), the client library they load from <c>/lib/realtime/</c>, and their settings at
/// <c>/pages/config.json</c>. HTML is sent with a Content-Security-Policy that allows scripts and styles from this
/// origin only, so that a message that slipped into the page as markup could still run nothing.
/// </summary>
public static partial class PagesExtensions
{
    /// <summary>Folder of the output where the build puts <c>clients/js/dist</c> (see <c>WebFront.csproj</c>).</summary>
    public const string ClientLibraryFolder = "realtime-client";

    public static WebApplication UsePages(this WebApplication app)
    {
        var pages = app.Services.GetRequiredService<IOptions<PagesOptions>>().Value;
        var realtime = app.Services.GetRequiredService<IOptions<RealtimeOptions>>().Value;
        var policy = ContentSecurityPolicy(pages);

        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions { OnPrepareResponse = context => AddHeaders(context, policy) });

        var library = Path.Combine(AppContext.BaseDirectory, ClientLibraryFolder);
        if (Directory.Exists(library))
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                RequestPath = "/lib/realtime",
                FileProvider = new PhysicalFileProvider(library),
                OnPrepareResponse = context => AddHeaders(context, policy),
            });
        }
        else
        {
            LogLibraryMissing(app.Logger, library);
        }

        var config = new PagesConfig(pages.ConsoleTokenUrl, realtime.RoomPrivatePrefixList);
        app.MapGet("/pages/config.json", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            return Results.Json(config);
        });
        return app;
    }

    /// <summary>What the pages need to know: where tokens come from (null: <c>/api/dev/token</c>) and which rooms are private conversations.</summary>
    private sealed record PagesConfig(string? TokenUrl, IReadOnlyList<string> PrivateRoomPrefixes);

    /// <summary>The pages' policy: everything from this origin only, no inline script or style, and the token URL's origin for fetch.</summary>
    internal static string ContentSecurityPolicy(PagesOptions pages) =>
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + $"connect-src 'self'{(pages.ConsoleTokenOrigin is { } origin ? " " + origin : "")}; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static void AddHeaders(StaticFileResponseContext context, string policy)
    {
        var headers = context.Context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        // Revalidate on every load: a page and the modules it imports must come from the same deployment.
        headers.CacheControl = "no-cache";
        if (context.File.Name.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
        {
            headers.ContentSecurityPolicy = policy;
            headers["Referrer-Policy"] = "no-referrer";
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The pages' client library is missing from {Folder}: build WebFront with npm available (see README)")]
    private static partial void LogLibraryMissing(ILogger logger, string folder);
}
