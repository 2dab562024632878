using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MimeKit;
using WeDrawOS.Tests.Notifications;
using WeDrawOS.Tests.Sms;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Verification;

/// <summary><c>/api/verification/*</c> through a real front: the code travels as a user would receive it.</summary>
public sealed partial class VerificationApiTests(VerificationFrontFixture fixture) : IClassFixture<VerificationFrontFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [GeneratedRegex("[0-9]{6}")]
    private static partial Regex SixDigits();

    private async Task<string> IssueAndReceiveSmsAsync(string phone, string purpose = "login")
    {
        var (status, _) = await fixture.Front.PostAsync("/api/verification/issue", new { channel = "sms", target = phone, purpose });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var message = await Eventually.MatchAsync(
            () => Task.FromResult(fixture.Twilio.Accepted.FirstOrDefault(r => r.Phone == phone)), m => m is not null, Wait, "an SMS to " + phone);
        return SixDigits().Match(message!.Text!).Value;
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> VerifyAsync(string channel, string target, string code, string purpose = "login") =>
        fixture.Front.PostAsync("/api/verification/verify", new { channel, target, purpose, code });

    [Fact]
    public async Task An_issued_code_arrives_by_sms_and_verifies_exactly_once()
    {
        var phone = TestPhones.Next();
        var code = await IssueAndReceiveSmsAsync(phone);
        Assert.Matches("^[0-9]{6}$", code);
        var wrong = code == "000000" ? "000001" : "000000";

        var (wrongStatus, wrongBody) = await VerifyAsync("sms", phone, wrong);
        Assert.Equal(HttpStatusCode.BadRequest, wrongStatus);
        Assert.Equal("invalid", wrongBody.GetProperty("code").GetString());

        var (status, body) = await VerifyAsync("sms", TestPhones.National(phone), code);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("valid").GetBoolean());

        var (reuseStatus, reuseBody) = await VerifyAsync("sms", phone, code);
        Assert.Equal(HttpStatusCode.BadRequest, reuseStatus);
        Assert.Equal("invalid", reuseBody.GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_code_never_appears_in_the_history()
    {
        var phone = TestPhones.Next();
        var code = await IssueAndReceiveSmsAsync(phone);

        var history = await fixture.Front.Http.GetStringAsync($"/api/sms/history?phone={Uri.EscapeDataString(phone)}");

        var item = Assert.Single(JsonDocument.Parse(history).RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal("verification_code", item.GetProperty("kind").GetString());
        Assert.DoesNotContain(code, history, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_wrong_codes_lock_the_code_even_against_the_right_one()
    {
        var phone = TestPhones.Next();
        var code = await IssueAndReceiveSmsAsync(phone);
        var wrong = code == "000000" ? "000001" : "000000";
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("invalid", (await VerifyAsync("sms", phone, wrong)).Body.GetProperty("code").GetString());
        }

        var (status, body) = await VerifyAsync("sms", phone, code);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("too_many_attempts", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_second_code_within_the_minute_is_rate_limited_with_retry_after()
    {
        var phone = TestPhones.Next();
        await IssueAndReceiveSmsAsync(phone);

        using var response = await fixture.Front.Http.PostAsync("/api/verification/issue",
            JsonContent(new { channel = "sms", target = phone, purpose = "other_purpose" }));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal("rate_limited", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        Assert.Single(fixture.Twilio.Accepted, r => r.Phone == phone);
    }

    [Fact]
    public async Task Issue_answers_the_same_whether_or_not_the_target_is_known()
    {
        var answers = new List<string>();
        foreach (var phone in new[] { TestPhones.Next(), TestPhones.Next() })
        {
            using var response = await fixture.Front.Http.PostAsync("/api/verification/issue", JsonContent(new { channel = "sms", target = phone, purpose = "signup" }));
            answers.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.Equal(answers[0], answers[1]);
        Assert.StartsWith("202", answers[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_code_for_an_email_target_arrives_by_email_and_verifies()
    {
        var address = $"verify-{Guid.NewGuid():N}@example.com";
        var (status, _) = await fixture.Front.PostAsync("/api/verification/issue", new { channel = "email", target = address.ToUpperInvariant(), purpose = "login", language = "en" });
        Assert.Equal(HttpStatusCode.Accepted, status);

        var code = await ReadEmailedCodeAsync(address);

        var (verified, body) = await VerifyAsync("email", address, code);
        Assert.Equal(HttpStatusCode.OK, verified);
        Assert.True(body.GetProperty("valid").GetBoolean());
    }

    [Theory]
    [InlineData("""{"channel":"fax","target":"+8613800138000","purpose":"login"}""")]
    [InlineData("""{"channel":"sms","target":"12","purpose":"login"}""")]
    [InlineData("""{"channel":"email","target":"not-an-address","purpose":"login"}""")]
    [InlineData("""{"channel":"sms","target":"+8613800138000","purpose":"has spaces"}""")]
    [InlineData("""{"channel":"sms","target":"+8613800138000"}""")]
    public async Task Bad_issue_requests_are_bad_request_problems(string json)
    {
        using var response = await fixture.Front.Http.PostAsync("/api/verification/issue", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("bad_request", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Verifying_without_any_code_issued_is_invalid()
    {
        var (status, body) = await VerifyAsync("sms", TestPhones.Next(), "123456");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid", body.GetProperty("code").GetString());
    }

    private async Task<string> ReadEmailedCodeAsync(string address)
    {
        var text = await Eventually.MatchAsync(() => EmailedTextAsync(address), t => t is not null, Wait, "an e-mail to " + address);
        return SixDigits().Match(text!).Value;
    }

    /// <summary>The body of the e-mail to <paramref name="address"/> in the pickup folder, or null while none is there.</summary>
    private async Task<string?> EmailedTextAsync(string address)
    {
        if (!Directory.Exists(fixture.PickupDirectory))
        {
            return null;
        }

        foreach (var file in Directory.GetFiles(fixture.PickupDirectory, "*.eml"))
        {
            using var message = await MimeMessage.LoadAsync(file);
            if (message.To.Mailboxes.Any(m => m.Address == address))
            {
                return message.TextBody ?? message.HtmlBody ?? "";
            }
        }

        return null;
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
