using System.Text.RegularExpressions;
using System.Web;
using MimeKit;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Notifications;

namespace WeDrawOS.Tests.Email;

/// <summary>Each template as it arrives at a real SMTP server: structure, subject, recipient, encoding, links, language.</summary>
public sealed partial class EmailTemplateDeliveryTests
{
    private const string LinkBase = "https://app.example.com/portal";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Verification_code_arrives_as_multipart_alternative_in_chinese_by_default()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var front = await StartAsync(smtp);

        await front.QueueAsync("/api/email/verification-code", new { email = "grace@example.com", code = "482913", expireMinutes = 7 });

        var message = Assert.Single(await smtp.WaitForCountAsync(1, Wait));
        var (text, html) = AssertAlternative(message, "grace@example.com");
        Assert.Equal("WeDrawOS 验证码：482913", message.Subject);
        Assert.Contains("482913", text, StringComparison.Ordinal);
        Assert.Contains("7 分钟", text, StringComparison.Ordinal);
        Assert.Contains("482913", html, StringComparison.Ordinal);
        Assert.Contains("lang=\"zh-CN\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verification_code_arrives_in_english_when_asked()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var front = await StartAsync(smtp);

        await front.QueueAsync("/api/email/verification-code", new { email = "heidi@example.com", code = "100200", expireMinutes = 15, language = "en" });

        var message = Assert.Single(await smtp.WaitForCountAsync(1, Wait));
        var (text, _) = AssertAlternative(message, "heidi@example.com");
        Assert.Equal("Your WeDrawOS verification code: 100200", message.Subject);
        Assert.Contains("expires in 15 minutes", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Password_reset_link_carries_the_url_encoded_token_in_both_parts()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var front = await StartAsync(smtp);
        const string token = "a+b/c=d&e <x> 令牌";

        await front.QueueAsync("/api/email/password-reset", new { email = "ivan@example.com", resetToken = token, expireHours = 2 });

        var message = Assert.Single(await smtp.WaitForCountAsync(1, Wait));
        var (text, html) = AssertAlternative(message, "ivan@example.com");
        Assert.Equal("重置您的 WeDrawOS 密码", message.Subject);
        var href = HttpUtility.HtmlDecode(Href().Match(html).Groups[1].Value);
        AssertLink(href, "/reset-password", token);
        Assert.Contains(href, text, StringComparison.Ordinal);
        Assert.Contains("2 小时", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<x>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Activation_link_points_to_the_configured_page_with_the_token()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var front = await StartAsync(smtp);

        await front.QueueAsync("/api/email/activation", new { email = "judy@example.com", activationToken = "tok_123-ABC", language = "en" });

        var message = Assert.Single(await smtp.WaitForCountAsync(1, Wait));
        var (text, html) = AssertAlternative(message, "judy@example.com");
        Assert.Equal("Activate your WeDrawOS account", message.Subject);
        var href = HttpUtility.HtmlDecode(Href().Match(html).Groups[1].Value);
        AssertLink(href, "/activate", "tok_123-ABC");
        Assert.Contains(href, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notification_values_containing_markup_arrive_html_escaped()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var front = await StartAsync(smtp);

        await front.QueueAsync("/api/email/notification", new
        {
            email = "mallory@example.com",
            title = "<script>alert(1)</script>",
            content = "Hello <b>you</b> & \"friends\" 你好",
        });

        var message = Assert.Single(await smtp.WaitForCountAsync(1, Wait));
        var (text, html) = AssertAlternative(message, "mallory@example.com");
        Assert.Equal("WeDrawOS 通知：<script>alert(1)</script>", message.Subject);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>you</b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;you&lt;/b&gt; &amp; &quot;friends&quot; 你好", html, StringComparison.Ordinal);
        Assert.Contains("Hello <b>you</b> & \"friends\" 你好", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Custom_mail_gets_the_missing_alternative_derived_from_the_part_given()
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var front = await StartAsync(smtp);

        await front.QueueAsync("/api/email", new { to = "oscar@example.com", subject = "text only", text = "line one\n<two> & three" });
        await front.QueueAsync("/api/email", new { to = "peggy@example.com", subject = "html only", html = "<p>Hello <b>Peggy</b> &amp; co</p><script>x()</script>" });

        var messages = await smtp.WaitForCountAsync(2, Wait);
        var textOnly = messages.Single(m => m.Subject == "text only");
        var (_, derivedHtml) = AssertAlternative(textOnly, "oscar@example.com");
        Assert.Contains("line one<br>", derivedHtml, StringComparison.Ordinal);
        Assert.Contains("&lt;two&gt; &amp; three", derivedHtml, StringComparison.Ordinal);
        var htmlOnly = messages.Single(m => m.Subject == "html only");
        var (derivedText, _) = AssertAlternative(htmlOnly, "peggy@example.com");
        Assert.Equal("Hello Peggy & co", derivedText.Trim());
    }

    [Fact]
    public async Task Templates_in_the_override_folder_replace_the_built_in_ones()
    {
        await using var smtp = await SmtpServer.StartAsync();
        var folder = Directory.CreateTempSubdirectory("wedrawos-templates-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "activation.en.subject.liquid"), "Welcome aboard, {{ to }}");
            var settings = Settings(smtp);
            settings["MAIL_TEMPLATE_DIR"] = folder.FullName;
            await using var front = await NotificationApi.StartFrontAsync(settings);

            await front.QueueAsync("/api/email/activation", new { email = "rupert@example.com", activationToken = "t", language = "en" });

            var message = Assert.Single(await smtp.WaitForCountAsync(1, Wait));
            Assert.Equal("Welcome aboard, rupert@example.com", message.Subject);
            AssertAlternative(message, "rupert@example.com");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static Dictionary<string, string> Settings(SmtpServer smtp)
    {
        var settings = TestHost.EmbeddedSettings().With(smtp.MailSettings());
        settings["MAIL_LINK_BASE_URL"] = LinkBase;
        settings["MAIL_FROM"] = "WeDrawOS Test <noreply@test.example.com>";
        return settings;
    }

    private static Task<TestHost> StartAsync(SmtpServer smtp) => NotificationApi.StartFrontAsync(Settings(smtp));

    /// <summary>One recipient, the configured sender, multipart/alternative with exactly a text/plain and a text/html part.</summary>
    private static (string Text, string Html) AssertAlternative(MimeMessage message, string to)
    {
        Assert.Equal(to, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("noreply@test.example.com", Assert.Single(message.From.Mailboxes).Address);
        Assert.Empty(message.Cc);
        Assert.Empty(message.Bcc);
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(2, alternative.Count);
        var text = Assert.IsType<TextPart>(alternative[0]);
        var html = Assert.IsType<TextPart>(alternative[1]);
        Assert.True(text.IsPlain);
        Assert.True(html.IsHtml);
        Assert.NotNull(message.MessageId);
        return (text.Text, html.Text);
    }

    private static void AssertLink(string href, string path, string token)
    {
        var uri = new Uri(href);
        Assert.Equal("https://app.example.com/portal" + path, uri.GetLeftPart(UriPartial.Path));
        Assert.Equal(token, HttpUtility.ParseQueryString(uri.Query)["token"]);
    }

    [GeneratedRegex("<a href=\"([^\"]+)\"")]
    private static partial Regex Href();
}
