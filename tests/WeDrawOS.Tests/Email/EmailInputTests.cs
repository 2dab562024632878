using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Notifications;

namespace WeDrawOS.Tests.Email;

/// <summary>Bad input is refused with a clear problem before anything is queued; header injection never reaches the wire.</summary>
public sealed class EmailInputTests
{
    public static TheoryData<string, object> BadRequests() => new()
    {
        { "/api/email", new { to = "victim@example.com\r\nBcc: everyone@example.com", subject = "s", text = "t" } },
        { "/api/email", new { to = "victim@example.com", subject = "hello\r\nBcc: everyone@example.com", text = "t" } },
        { "/api/email", new { to = "victim@example.com", subject = "hello\nX-Injected: yes", text = "t" } },
        { "/api/email", new { to = "not-an-address", subject = "s", text = "t" } },
        { "/api/email", new { to = "Alice <alice@example.com>", subject = "s", text = "t" } },
        { "/api/email", new { to = "a@b.com, c@d.com", subject = "s", text = "t" } },
        { "/api/email", new { to = "alice@example.com", subject = "s" } },
        { "/api/email", new { to = "alice@example.com", text = "t" } },
        { "/api/email/verification-code", new { email = "alice@example", code = "1", expireMinutes = 5 } },
        { "/api/email/verification-code", new { email = "alice@example.com", code = "", expireMinutes = 5 } },
        { "/api/email/verification-code", new { email = "alice@example.com", code = "12\r\n34", expireMinutes = 5 } },
        { "/api/email/verification-code", new { email = "alice@example.com", code = "1234", expireMinutes = 0 } },
        { "/api/email/verification-code", new { email = "alice@example.com", code = "1234", expireMinutes = 5, language = "fr" } },
        { "/api/email/password-reset", new { email = "alice@example.com", expireHours = 1 } },
        { "/api/email/activation", new { email = "", activationToken = "t" } },
        { "/api/email/notification", new { email = "alice@example.com", title = "a\r\nb", content = "c" } },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Invalid_input_gets_bad_request_and_queues_nothing(string path, object body)
    {
        await using var smtp = await SmtpServer.StartAsync();
        await using var front = await NotificationApi.StartFrontAsync(TestHost.EmbeddedSettings().With(smtp.MailSettings()));

        var (status, problem) = await front.PostAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.DoesNotContain("   at ", problem.ToString(), StringComparison.Ordinal);

        // Proof that nothing was queued: a valid message sent afterwards is the only one the server ever gets.
        await front.QueueAsync("/api/email", new { to = "marker@example.com", subject = "marker", text = "t" });
        await smtp.WaitForCountAsync(1, TimeSpan.FromSeconds(30));
        var history = JsonDocument.Parse(await front.Http.GetStringAsync("/api/email/history?email=victim@example.com")).RootElement;
        Assert.Empty(history.GetProperty("items").EnumerateArray());
        Assert.Equal(["marker"], smtp.Messages().Select(m => m.Subject));
    }

    [Fact]
    public async Task Unreadable_json_gets_bad_request()
    {
        await using var front = await NotificationApi.StartFrontAsync(TestHost.EmbeddedSettings());
        using var content = new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json");

        using var response = await front.Http.PostAsync("/api/email", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("bad_request", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Email_endpoints_need_the_api_key()
    {
        await using var front = await NotificationApi.StartFrontAsync(TestHost.EmbeddedSettings());
        using var anonymous = new HttpClient { BaseAddress = front.BaseAddress };

        using var response = await anonymous.PostAsync("/api/email", JsonContent.Create(new { to = "a@example.com", subject = "s", text = "t" }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
