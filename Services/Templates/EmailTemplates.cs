using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Fluid;
using Fluid.Values;
using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Notifications.Email;
using WeDrawOS.Services.Email;

namespace WeDrawOS.Services.Templates;

/// <summary>
/// Renders the e-mail templates with Fluid (Liquid). Each kind has, per language, a subject, an HTML body and a
/// plain-text body (<c>{kind}.{language}.subject|html|txt.liquid</c>). Every inserted value is HTML-encoded in
/// the HTML body; the subject and the plain text get the values as they are (they are not HTML).
/// A file of the same name in <c>MAIL_TEMPLATE_DIR</c> replaces the built-in one.
/// </summary>
public sealed class EmailTemplates
{
    /// <summary>The kinds that have templates.</summary>
    public static readonly string[] Kinds =
        [NotificationKinds.VerificationCode, NotificationKinds.PasswordReset, NotificationKinds.Activation, NotificationKinds.Notification];

    private static readonly FluidParser Parser = new();

    // Encodes what HTML needs (< > & " ') but leaves Chinese and other letters readable instead of &#x...; escapes.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);
    private static readonly string[] Parts = ["subject", "html", "txt"];

    private readonly ConcurrentDictionary<string, IFluidTemplate> _templates = new(StringComparer.Ordinal);
    private readonly TemplateOptions _options = new();

    /// <summary>Loads and parses every template now, so that a broken override stops the start instead of a send.</summary>
    /// <exception cref="InvalidOperationException">when a template cannot be read or parsed.</exception>
    public EmailTemplates(IOptions<MailOptions> options)
    {
        var overrides = options.Value.TemplateDirectory;
        foreach (var kind in Kinds)
        {
            foreach (var language in TemplateLanguages.All)
            {
                foreach (var part in Parts)
                {
                    var name = FileName(kind, language, part);
                    var (source, origin) = Load(name, overrides);
                    if (!Parser.TryParse(source, out var template, out var error))
                    {
                        throw new InvalidOperationException($"e-mail template {origin} does not parse: {error}");
                    }

                    _templates[name] = template;
                }
            }
        }
    }

    /// <summary>The file name of one part of a template, e.g. <c>activation.en.html.liquid</c>.</summary>
    public static string FileName(string kind, string language, string part) => $"{kind}.{language}.{part}.liquid";

    /// <summary>Renders a kind in a language (see <see cref="TemplateLanguages"/>) with the given values.</summary>
    public async Task<RenderedEmail> RenderAsync(string kind, string language, IReadOnlyDictionary<string, string> values)
    {
        var context = new TemplateContext(_options);
        foreach (var (name, value) in values)
        {
            context.SetValue(name, new StringValue(value));
        }

        var subject = await _templates[FileName(kind, language, "subject")].RenderAsync(context, NullEncoder.Default);

        // A header is one line: whatever a value brought in, line breaks become spaces.
        subject = string.Join(' ', subject.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        context.SetValue("subject", new StringValue(subject));
        var html = await _templates[FileName(kind, language, "html")].RenderAsync(context, Html);
        var text = await _templates[FileName(kind, language, "txt")].RenderAsync(context, NullEncoder.Default);
        return new RenderedEmail(subject, html, text);
    }

    private static (string Source, string Origin) Load(string name, string? overrides)
    {
        if (!string.IsNullOrWhiteSpace(overrides))
        {
            var path = Path.Combine(overrides, name);
            if (File.Exists(path))
            {
                return (File.ReadAllText(path), path);
            }
        }

        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("templates/" + name)
            ?? throw new InvalidOperationException($"built-in e-mail template {name} is missing");
        using var reader = new StreamReader(stream);
        return (reader.ReadToEnd(), "built-in " + name);
    }
}
