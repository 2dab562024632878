using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Hosting.Health;
using WeDrawOS.Services.Notifications;
using WeDrawOS.Services.Sms;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.Tests.Sms.Stubs;

namespace WeDrawOS.Tests.Sms;

/// <summary>The SMS channel's sender over real stubs: failover order, circuits, normalisation, mock mode.</summary>
public sealed class SmsFailoverTests : IAsyncLifetime
{
    private readonly TwilioStub _twilio = new();
    private readonly AliyunStub _aliyun = new();
    private readonly TencentStub _tencent = new();
    // Starts at the real time: the circuits' clock; the providers sign and time out on real time (SmsTestServices).
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public async Task InitializeAsync()
    {
        await _twilio.StartAsync();
        await _aliyun.StartAsync();
        await _tencent.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _twilio.DisposeAsync();
        await _aliyun.DisposeAsync();
        await _tencent.DisposeAsync();
    }

    private ServiceProvider Services(string providers, int circuitFailures = 3, int timeoutMs = 5000, string? aliyunCustomTemplate = null) =>
        SmsTestServices.Build(providers, _clock, _twilio, _aliyun, _tencent, circuitFailures, timeoutMs, aliyunCustomTemplate);

    private static OutgoingNotification Code(string to = "+8613800138000", string? preferred = null) =>
        new(Guid.NewGuid().ToString("N"), to, NotificationKinds.VerificationCode,
            new Dictionary<string, string> { ["code"] = "123456", ["expireMinutes"] = "5" }, "zh-CN", preferred);

    private static OutgoingNotification Text(string content) =>
        new(Guid.NewGuid().ToString("N"), "+8613800138000", NotificationKinds.Custom, new Dictionary<string, string> { ["content"] = content }, "zh-CN", null);

    [Fact]
    public async Task A_server_error_moves_the_message_on_to_the_next_provider()
    {
        await using var services = Services("twilio,aliyun,tencent");
        _twilio.Answer = StubAnswer.ServerError;

        var outcome = await services.GetRequiredService<SmsFailoverSender>().SendAsync(Code(), CancellationToken.None);

        Assert.Equal(SendResult.Sent, outcome.Kind);
        Assert.Equal("aliyun", outcome.Provider);
        Assert.Single(_twilio.Accepted);
        Assert.Empty(_tencent.Accepted);
    }

    [Fact]
    public async Task Throttling_moves_the_message_on_to_the_next_provider()
    {
        await using var services = Services("aliyun,tencent");
        _aliyun.Answer = StubAnswer.Throttle;

        var outcome = await services.GetRequiredService<SmsFailoverSender>().SendAsync(Code(), CancellationToken.None);

        Assert.Equal("tencent", outcome.Provider);
        Assert.Equal(SendResult.Sent, outcome.Kind);
    }

    [Fact]
    public async Task A_permanent_error_does_not_fail_over()
    {
        await using var services = Services("tencent,twilio");
        _tencent.Answer = StubAnswer.InvalidNumber;

        var outcome = await services.GetRequiredService<SmsFailoverSender>().SendAsync(Code(), CancellationToken.None);

        Assert.Equal(SendResult.Permanent, outcome.Kind);
        Assert.Equal("tencent", outcome.Provider);
        Assert.Empty(_twilio.Accepted);
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_times_out_and_the_next_one_sends()
    {
        await using var services = SmsTestServices.Build("twilio,tencent", TimeProvider.System, _twilio, _aliyun, _tencent, timeoutMs: 300);
        _twilio.Answer = StubAnswer.Hang;

        var outcome = await services.GetRequiredService<SmsFailoverSender>().SendAsync(Code(), CancellationToken.None);

        Assert.Equal("tencent", outcome.Provider);
        Assert.Equal(SendResult.Sent, outcome.Kind);
    }

    [Fact]
    public async Task When_every_provider_fails_the_outcome_is_transient_with_the_shortest_wait()
    {
        await using var services = Services("aliyun,twilio");
        _aliyun.Answer = StubAnswer.Throttle;
        _twilio.Answer = StubAnswer.Throttle;

        var outcome = await services.GetRequiredService<SmsFailoverSender>().SendAsync(Code(), CancellationToken.None);

        Assert.Equal(SendResult.Transient, outcome.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), outcome.RetryAfter);
        Assert.Contains("aliyun", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("twilio", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_that_throttled_a_number_is_not_asked_again_for_it_before_its_own_wait_ends()
    {
        await using var services = Services("aliyun,twilio");
        var sender = services.GetRequiredService<SmsFailoverSender>();
        _aliyun.Answer = StubAnswer.Throttle;
        _twilio.Answer = StubAnswer.Throttle;

        // Aliyun asks for 60 s, Twilio for 7 s: the outbox comes back after the shorter wait.
        var first = await sender.SendAsync(Code(), CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(7), first.RetryAfter);
        _clock.Advance(TimeSpan.FromSeconds(7));
        _twilio.Answer = StubAnswer.Accept;

        var second = await sender.SendAsync(Code(), CancellationToken.None);

        Assert.Equal("twilio", second.Provider);
        Assert.Single(_aliyun.Accepted);
        // Another number is not held back, and this one goes to Aliyun again once its wait is over.
        await sender.SendAsync(Code("+8613912345678"), CancellationToken.None);
        Assert.Equal(2, _aliyun.Accepted.Count);
        _clock.Advance(TimeSpan.FromSeconds(53));
        await sender.SendAsync(Code(), CancellationToken.None);
        Assert.Equal(3, _aliyun.Accepted.Count);
    }

    [Fact]
    public async Task Repeated_failures_open_the_circuit_and_the_provider_is_skipped_until_the_break_ends()
    {
        await using var services = Services("twilio,aliyun", circuitFailures: 2);
        var sender = services.GetRequiredService<SmsFailoverSender>();
        var health = services.GetRequiredService<SmsCircuitBreakers>();
        _twilio.Answer = StubAnswer.ServerError;

        await sender.SendAsync(Code(), CancellationToken.None);
        await sender.SendAsync(Code(), CancellationToken.None);
        var whileOpen = await sender.SendAsync(Code(), CancellationToken.None);

        Assert.Equal("aliyun", whileOpen.Provider);
        Assert.Equal(2, _twilio.Accepted.Count);
        Assert.Equal(SmsCircuitState.Open, health["twilio"].State);

        _clock.Advance(TimeSpan.FromSeconds(31));
        _twilio.Answer = StubAnswer.Accept;
        var afterBreak = await sender.SendAsync(Code(), CancellationToken.None);

        Assert.Equal("twilio", afterBreak.Provider);
        Assert.Equal(SmsCircuitState.Closed, health["twilio"].State);
    }

    [Fact]
    public async Task A_failed_trial_after_the_break_opens_the_circuit_again()
    {
        await using var services = Services("twilio,aliyun", circuitFailures: 1);
        var sender = services.GetRequiredService<SmsFailoverSender>();
        _twilio.Answer = StubAnswer.ServerError;
        await sender.SendAsync(Code(), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(31));

        await sender.SendAsync(Code(), CancellationToken.None);
        await sender.SendAsync(Code(), CancellationToken.None);

        Assert.Equal(2, _twilio.Accepted.Count);
        Assert.Equal(SmsCircuitState.Open, services.GetRequiredService<SmsCircuitBreakers>()["twilio"].State);
    }

    [Fact]
    public async Task Health_reports_an_open_circuit_as_degraded_and_all_open_as_unhealthy()
    {
        await using var services = Services("twilio,aliyun", circuitFailures: 1);
        var sender = services.GetRequiredService<SmsFailoverSender>();
        var check = ActivatorUtilities.CreateInstance<SmsHealthCheck>(services);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        _twilio.Answer = StubAnswer.ServerError;
        await sender.SendAsync(Code(), CancellationToken.None);
        var degraded = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("twilio (open)", degraded.Description, StringComparison.Ordinal);

        _aliyun.Answer = StubAnswer.ServerError;
        await sender.SendAsync(Code(), CancellationToken.None);
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Fact]
    public async Task Free_text_skips_template_only_providers_that_have_no_template_for_it()
    {
        await using var services = Services("aliyun,tencent,twilio");

        var outcome = await services.GetRequiredService<SmsFailoverSender>().SendAsync(Text("您的订单已发货"), CancellationToken.None);

        Assert.Equal("twilio", outcome.Provider);
        Assert.Empty(_aliyun.Accepted);
        Assert.Empty(_tencent.Accepted);
    }

    [Fact]
    public async Task Free_text_with_only_template_providers_and_no_template_is_a_clear_permanent_error()
    {
        await using var services = Services("aliyun,tencent");

        var outcome = await services.GetRequiredService<SmsFailoverSender>().SendAsync(Text("hello"), CancellationToken.None);

        Assert.Equal(SendResult.Permanent, outcome.Kind);
        Assert.Contains("no SMS provider can send", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_preferred_provider_is_tried_first()
    {
        await using var services = Services("twilio,aliyun,tencent");

        var outcome = await services.GetRequiredService<SmsFailoverSender>().SendAsync(Code(preferred: "Tencent"), CancellationToken.None);

        Assert.Equal("tencent", outcome.Provider);
        Assert.Empty(_twilio.Accepted);
    }

    [Fact]
    public async Task An_invalid_number_is_refused_before_any_provider_is_called()
    {
        await using var services = Services("twilio");

        var outcome = await services.GetRequiredService<SmsFailoverSender>().SendAsync(Code(to: "+86123"), CancellationToken.None);

        Assert.Equal(SendResult.Permanent, outcome.Kind);
        Assert.Empty(_twilio.Accepted);
    }

    [Fact]
    public async Task Mock_mode_records_the_message_as_sent_by_mock_without_any_request()
    {
        await using var services = Services("mock");

        var outcome = await services.GetRequiredService<INotificationSender>().SendAsync(Code(), CancellationToken.None);

        Assert.Equal(SendResult.Sent, outcome.Kind);
        Assert.Equal("mock", outcome.Provider);
        Assert.Empty(_twilio.Accepted);
        Assert.Equal(NotificationChannel.Sms, services.GetRequiredService<INotificationSender>().Channel);
    }

    [Fact]
    public async Task The_outbox_check_refuses_bad_requests_and_numbers_not_in_E164()
    {
        await using var services = Services("aliyun,twilio");
        var sender = services.GetRequiredService<SmsFailoverSender>();
        var code = new NotificationRequest(NotificationKinds.VerificationCode, new Dictionary<string, string> { ["code"] = "1", ["expireMinutes"] = "5" });

        Assert.Null(sender.Validate("+8613800138000", code));
        Assert.NotNull(sender.Validate("13800138000", code));
        Assert.NotNull(sender.Validate("+86123", code));
        Assert.NotNull(sender.Validate("+8613800138000", new NotificationRequest(NotificationKinds.Notification, new Dictionary<string, string> { ["title"] = "t" })));
        Assert.NotNull(sender.Validate("+8613800138000", code with { Provider = "nexmo" }));
        Assert.NotNull(sender.Validate("+8613800138000", new NotificationRequest(NotificationKinds.PasswordReset, new Dictionary<string, string>())));
    }

    [Fact]
    public async Task Codes_texts_secrets_and_full_numbers_never_reach_the_logs()
    {
        var logs = new FakeLogCollector();
        await using var services = SmsTestServices.Build("aliyun,twilio,mock", _clock, _twilio, _aliyun, _tencent, logs: logs);
        var sender = services.GetRequiredService<SmsFailoverSender>();
        var code = new OutgoingNotification("n1", "+8613912345678", NotificationKinds.VerificationCode,
            new Dictionary<string, string> { ["code"] = "918273", ["expireMinutes"] = "5" }, "zh-CN", null);
        var text = new OutgoingNotification("n2", "+8613912345678", NotificationKinds.Custom,
            new Dictionary<string, string> { ["content"] = "secret-body-marker" }, "zh-CN", null);

        _aliyun.Answer = StubAnswer.ServerError;
        await sender.SendAsync(code, CancellationToken.None);
        _twilio.Answer = StubAnswer.Throttle;
        await sender.SendAsync(text, CancellationToken.None);
        await sender.SendAsync(code with { Id = "n3", PreferredProvider = "mock" }, CancellationToken.None);

        Assert.NotEmpty(logs.Lines());
        var all = string.Join("\n", logs.Lines());
        Assert.DoesNotContain("918273", all, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-body-marker", all, StringComparison.Ordinal);
        Assert.DoesNotContain("13912345678", all, StringComparison.Ordinal);
        Assert.DoesNotContain(TwilioStub.AuthToken, all, StringComparison.Ordinal);
        Assert.DoesNotContain(AliyunStub.AccessKeySecret, all, StringComparison.Ordinal);
        Assert.Contains("+86*******5678", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_that_refuses_connections_fails_over_and_its_trials_keep_coming_after_each_break()
    {
        var gone = new TwilioStub();
        await gone.StartAsync();
        await gone.DisposeAsync();
        await using var services = SmsTestServices.Build("twilio,aliyun", _clock, gone, _aliyun, _tencent, circuitFailures: 1);
        var sender = services.GetRequiredService<SmsFailoverSender>();
        var circuit = services.GetRequiredService<SmsCircuitBreakers>()["twilio"];

        Assert.Equal("aliyun", (await sender.SendAsync(Code(), CancellationToken.None)).Provider);
        Assert.Equal(SmsCircuitState.Open, circuit.State);
        for (var i = 0; i < 2; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(31));
            Assert.Equal(SmsCircuitState.HalfOpen, circuit.State);
            Assert.Equal("aliyun", (await sender.SendAsync(Code(), CancellationToken.None)).Provider);
            Assert.Equal(SmsCircuitState.Open, circuit.State);
        }
    }
}
