using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeDrawOS.Tests.Notifications;
using WeDrawOS.Tests.Sms.Stubs;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Sms;

/// <summary>The <c>/api/sms*</c> contract through a real front, outbox and signature-checking provider stubs.</summary>
public sealed class SmsApiTests(SmsFrontFixture fixture) : IClassFixture<SmsFrontFixture>, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public void Dispose() => fixture.Reset();

    [Fact]
    public async Task A_verification_code_goes_out_through_the_first_provider_and_shows_in_the_history()
    {
        var phone = TestPhones.Next();

        var id = await fixture.Front.QueueAsync("/api/sms/verification-code", new { phone = TestPhones.National(phone), code = "482916", expireMinutes = 5 });

        var sent = await fixture.Front.WaitForNotificationAsync(id, n => n.Status() == "sent", Wait);
        Assert.Equal("aliyun", sent.GetProperty("provider").GetString());
        Assert.Equal(phone, sent.GetProperty("to").GetString());
        Assert.Contains(fixture.Aliyun.Accepted, r => r.Phone == TestPhones.National(phone) && r.TemplateParams.Contains("code=482916"));

        var history = await fixture.Front.Http.GetStringAsync($"/api/sms/history?phone={Uri.EscapeDataString(phone)}&limit=10");
        var item = Assert.Single(JsonDocument.Parse(history).RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(id, item.GetProperty("id").GetString());
        Assert.Equal("sent", item.GetProperty("status").GetString());
        Assert.Equal("aliyun", item.GetProperty("provider").GetString());
        Assert.EndsWith("^0", item.GetProperty("providerMessageId").GetString(), StringComparison.Ordinal);
        Assert.Equal("verification_code", item.GetProperty("kind").GetString());
        Assert.DoesNotContain("482916", history, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Free_text_goes_to_twilio_because_aliyun_sends_only_templates()
    {
        var phone = TestPhones.Next();

        var id = await fixture.Front.QueueAsync("/api/sms", new { phone, content = "您的工单 #42 已处理" });

        var sent = await fixture.Front.WaitForNotificationAsync(id, n => n.Status() == "sent", Wait);
        Assert.Equal("twilio", sent.GetProperty("provider").GetString());
        Assert.Contains(fixture.Twilio.Accepted, r => r.Phone == phone && r.Text == "您的工单 #42 已处理");
        Assert.DoesNotContain(fixture.Aliyun.Accepted, r => r.Phone == TestPhones.National(phone));
    }

    [Fact]
    public async Task A_throttled_provider_fails_over_to_the_next_one()
    {
        fixture.Aliyun.Answer = StubAnswer.Throttle;
        var phone = TestPhones.Next();

        var id = await fixture.Front.QueueAsync("/api/sms/notification", new { phone, title = "订单", content = "已发货", language = "en" });

        var sent = await fixture.Front.WaitForNotificationAsync(id, n => n.Status() == "sent", Wait);
        Assert.Equal("twilio", sent.GetProperty("provider").GetString());
        Assert.Equal(1, sent.Attempts());
        Assert.Contains(fixture.Twilio.Accepted, r => r.Phone == phone && r.Text == "订单: 已发货");
    }

    [Fact]
    public async Task A_message_waits_while_every_provider_fails_and_goes_out_when_one_recovers()
    {
        fixture.Aliyun.Answer = StubAnswer.ServerError;
        fixture.Twilio.Answer = StubAnswer.ServerError;
        var phone = TestPhones.Next();

        var id = await fixture.Front.QueueAsync("/api/sms/verification-code", new { phone, code = "777111", expireMinutes = 5 });
        var retrying = await fixture.Front.WaitForNotificationAsync(id, n => n.Status() == "retrying" && n.Attempts() >= 2, Wait);
        Assert.Contains("isp.SYSTEM_ERROR", retrying.Error(), StringComparison.Ordinal);

        fixture.Twilio.Answer = StubAnswer.Accept;

        var sent = await fixture.Front.WaitForNotificationAsync(id, n => n.Status() == "sent", Wait);
        Assert.Equal("twilio", sent.GetProperty("provider").GetString());
    }

    [Fact]
    public async Task When_every_provider_throttles_the_outbox_waits_and_sends_on_a_later_attempt()
    {
        fixture.Aliyun.Answer = StubAnswer.Throttle;
        fixture.Twilio.Answer = StubAnswer.Throttle;
        fixture.Twilio.RetryAfterSeconds = 1;
        var phone = TestPhones.Next();

        var id = await fixture.Front.QueueAsync("/api/sms/notification", new { phone, title = "t", content = "c" });
        var throttled = await fixture.Front.WaitForNotificationAsync(id, n => n.Status() == "retrying", Wait);
        Assert.Contains("20429", throttled.Error(), StringComparison.Ordinal);
        Assert.Contains("isv.BUSINESS_LIMIT_CONTROL", throttled.Error(), StringComparison.Ordinal);
        fixture.Twilio.Answer = StubAnswer.Accept;

        var sent = await fixture.Front.WaitForNotificationAsync(id, n => n.Status() == "sent", Wait);
        Assert.Equal("twilio", sent.GetProperty("provider").GetString());
        Assert.Equal(2, sent.Attempts());
    }

    [Fact]
    public async Task An_invalid_number_is_the_permanent_end_of_the_message_without_failover()
    {
        fixture.Aliyun.Answer = StubAnswer.InvalidNumber;
        var phone = TestPhones.Next();

        var id = await fixture.Front.QueueAsync("/api/sms/verification-code", new { phone, code = "100200", expireMinutes = 5 });

        var failed = await fixture.Front.WaitForNotificationAsync(id, n => n.Status() == "failed", Wait);
        Assert.Equal(1, failed.Attempts());
        Assert.Contains("isv.MOBILE_NUMBER_ILLEGAL", failed.Error(), StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Twilio.Accepted, r => r.Phone == phone);
    }

    [Theory]
    [InlineData("/api/sms", """{"phone":"12345","content":"hello"}""")]
    [InlineData("/api/sms", """{"phone":"+8613800138000"}""")]
    [InlineData("/api/sms", """{"phone":"+8613800138000","content":"hello","provider":"nexmo"}""")]
    [InlineData("/api/sms", """{"phone":"+8613800138000","content":"hello","type":"marketing"}""")]
    [InlineData("/api/sms/verification-code", """{"phone":"+8613800138000","expireMinutes":5}""")]
    [InlineData("/api/sms/verification-code", """{"phone":"+8613800138000","code":"123456","expireMinutes":0}""")]
    [InlineData("/api/sms/notification", """{"phone":"not a phone","title":"t","content":"c"}""")]
    [InlineData("/api/sms", """{"phone":"+8613800138000","content":""")]
    [InlineData("/api/sms/batch", """[]""")]
    public async Task Bad_input_is_a_bad_request_problem_and_nothing_is_queued(string path, string json)
    {
        var before = fixture.Twilio.Accepted.Count + fixture.Aliyun.Accepted.Count;

        using var response = await fixture.Front.Http.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("bad_request", body.GetProperty("code").GetString());
        Assert.DoesNotContain("Exception", body.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body.ToString(), StringComparison.Ordinal);
        var history = await fixture.Front.Http.GetStringAsync("/api/sms/history?phone=%2B8613800138000");
        Assert.Empty(JsonDocument.Parse(history).RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(before, fixture.Twilio.Accepted.Count + fixture.Aliyun.Accepted.Count);
    }

    [Fact]
    public async Task A_batch_of_500_gets_one_result_per_item_in_order_and_every_valid_one_is_sent()
    {
        var items = Enumerable.Range(0, 500)
            .Select(i => i % 25 == 7 ? new { phone = "555-" + i, content = $"batch {i}" } : new { phone = TestPhones.Next(), content = $"batch {i}" })
            .ToArray();

        var (status, body) = await fixture.Front.PostAsync("/api/sms/batch", items);

        Assert.Equal(HttpStatusCode.Accepted, status);
        var results = body.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(500, results.Length);
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(items[i].phone, results[i].GetProperty("phone").GetString());
            var invalid = i % 25 == 7;
            Assert.Equal(invalid, results[i].TryGetProperty("error", out _));
            Assert.Equal(!invalid, results[i].TryGetProperty("id", out _));
        }

        var valid = items.Where((_, i) => i % 25 != 7).Select(m => m.phone).ToHashSet();
        await Eventually.TrueAsync(
            () => Task.FromResult(fixture.Twilio.Accepted.Count(r => valid.Contains(r.Phone)) == valid.Count), TimeSpan.FromSeconds(60), $"all {valid.Count} valid messages at the stub");

        var last = results[499].GetProperty("id").GetString()!;
        Assert.Equal("sent", (await fixture.Front.WaitForNotificationAsync(last, n => n.Status() == "sent", Wait)).Status());
    }

    [Fact]
    public async Task Verification_codes_to_one_number_are_rate_limited_with_retry_after()
    {
        var phone = TestPhones.Next();
        await fixture.Front.QueueAsync("/api/sms/verification-code", new { phone, code = "111222", expireMinutes = 5 });

        using var second = await fixture.Front.Http.PostAsJsonAsync("/api/sms/verification-code", new { phone, code = "333444", expireMinutes = 5 });
        var (issued, _) = await fixture.Front.PostAsync("/api/verification/issue", new { channel = "sms", target = phone, purpose = "login" });

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.InRange(second.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.TooManyRequests, issued);
        var history = JsonDocument.Parse(await fixture.Front.Http.GetStringAsync($"/api/sms/history?phone={Uri.EscapeDataString(phone)}")).RootElement;
        Assert.Single(history.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task History_validates_its_parameters()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Front.Http.GetAsync("/api/sms/history?phone=abc")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Front.Http.GetAsync("/api/sms/history?phone=%2B8613800138000&limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Front.Http.GetAsync("/api/sms/history")).StatusCode);
    }

    [Fact]
    public async Task The_sms_api_requires_an_api_key()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Front.BaseAddress };

        using var response = await anonymous.PostAsJsonAsync("/api/sms", new { phone = TestPhones.Next(), content = "x" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Readiness_lists_the_providers_with_their_circuits()
    {
        var ready = JsonDocument.Parse(await fixture.Front.Http.GetStringAsync("/health/ready")).RootElement;

        var sms = ready.GetProperty("services").GetProperty("sms");
        Assert.Equal("healthy", sms.GetProperty("status").GetString());
        Assert.Contains("aliyun (closed) -> twilio (closed)", sms.ToString(), StringComparison.Ordinal);
    }
}
