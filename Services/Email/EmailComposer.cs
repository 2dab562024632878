using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MimeKit;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Notifications.Email;
using WeDrawOS.Services.Notifications;
using WeDrawOS.Services.Templates;

namespace WeDrawOS.Services.Email;

/// <summary>
/// Turns a notification into a MIME message: multipart/alternative with a plain-text and an HTML part,
/// from <c>MAIL_FROM</c>, with the notification id in the Message-Id so a delivered message can be traced back.
/// </summary>
public sealed partial class EmailComposer(EmailTemplates templates, IOptions<MailOptions> options)
{
    private readonly MailboxAddress _from = MailboxAddress.Parse(options.Value.From);

    public async Task<MimeMessage> ComposeAsync(OutgoingNotification notification)
    {
        var language = TemplateLanguages.Normalize(notification.Language) ?? TemplateLanguages.Chinese;
        var rendered = notification.Kind == NotificationKinds.Custom
            ? Custom(notification.Fields)
            : await templates.RenderAsync(notification.Kind, language, TemplateValues(notification));

        var message = new MimeMessage();
        message.From.Add(_from);
        message.To.Add(MailboxAddress.Parse(notification.To));
        message.Subject = rendered.Subject;
        message.MessageId = $"{notification.Id}@{_from.Domain}";
        message.Headers.Add(HeaderId.ContentLanguage, language);
        var body = new BodyBuilder { TextBody = rendered.Text, HtmlBody = rendered.Html };
        message.Body = body.ToMessageBody();
        return message;
    }

    private Dictionary<string, string> TemplateValues(OutgoingNotification notification)
    {
        var values = new Dictionary<string, string>(notification.Fields, StringComparer.Ordinal) { ["to"] = notification.To };
        var mail = options.Value;
        if (notification.Fields.TryGetValue(EmailFields.ResetToken, out var reset))
        {
            values["link"] = Link(mail.LinkBaseUrl, mail.ResetPath, reset);
        }
        else if (notification.Fields.TryGetValue(EmailFields.ActivationToken, out var activation))
        {
            values["link"] = Link(mail.LinkBaseUrl, mail.ActivationPath, activation);
        }

        return values;
    }

    /// <summary>The page URL with the token as a URL-encoded <c>token</c> query parameter.</summary>
    public static string Link(string baseUrl, string path, string token) =>
        $"{baseUrl.TrimEnd('/')}{path}?token={Uri.EscapeDataString(token)}";

    /// <summary>
    /// A caller's own subject and body. A missing alternative is derived: HTML from the text (encoded, line
    /// breaks kept), text from the HTML (tags removed, entities decoded).
    /// </summary>
    private static RenderedEmail Custom(IReadOnlyDictionary<string, string> fields)
    {
        fields.TryGetValue(EmailFields.Subject, out var subject);
        fields.TryGetValue(EmailFields.Text, out var text);
        fields.TryGetValue(EmailFields.Html, out var html);
        subject = string.Join(' ', (subject ?? "").Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (string.IsNullOrWhiteSpace(html))
        {
            var encoded = WebUtility.HtmlEncode(text ?? "").ReplaceLineEndings("<br>\n");
            html = $"<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"></head>\n<body>\n<p>{encoded}</p>\n</body>\n</html>\n";
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            text = HtmlToText(html);
        }

        return new RenderedEmail(subject, html, text);
    }

    private static string HtmlToText(string html)
    {
        var withoutHidden = HiddenElements().Replace(html, "");
        var withBreaks = BlockBoundaries().Replace(withoutHidden, "\n");
        var plain = WebUtility.HtmlDecode(Tags().Replace(withBreaks, ""));
        return BlankLines().Replace(plain, "\n\n").Trim() + "\n";
    }

    [GeneratedRegex(@"<(script|style|head)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HiddenElements();

    [GeneratedRegex(@"<\s*(br|/p|/div|/h[1-6]|/li|/tr)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex BlockBoundaries();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\n\s*\n\s*\n+")]
    private static partial Regex BlankLines();
}
