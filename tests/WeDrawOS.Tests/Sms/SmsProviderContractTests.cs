using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Notifications.Sms;
using WeDrawOS.Services.Notifications;
using WeDrawOS.Services.Sms;
using WeDrawOS.Tests.Sms.Stubs;

namespace WeDrawOS.Tests.Sms;

/// <summary>
/// What every SMS provider must do against its provider's API (a signature-checking stub on loopback): send,
/// and map each error class to sent / transient (with a wait when throttled) / permanent.
/// </summary>
public abstract class SmsProviderContractTests<TStub> : IAsyncLifetime where TStub : ProviderStub, new()
{
    protected const string Phone = "+8613800138000";

    private readonly HttpClient _http = new();

    protected TStub Stub { get; } = new();

    public Task InitializeAsync() => Stub.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await Stub.DisposeAsync();
    }

    /// <summary>The provider under test, configured for the stub; with a wrong secret when asked.</summary>
    protected abstract ISmsProvider CreateProvider(HttpClient http, bool wrongSecret = false);

    /// <summary>How the provider's API expects the number to be written.</summary>
    protected abstract string NumberOnTheWire { get; }

    protected ISmsProvider Provider(bool wrongSecret = false) => CreateProvider(_http, wrongSecret);

    protected static SmsMessage VerificationCode(string code = "246810", string language = "zh-CN")
    {
        var fields = new Dictionary<string, string> { ["code"] = code, ["expireMinutes"] = "5" };
        SmsTemplates.TryRender(NotificationKinds.VerificationCode, fields, language, out var text, out _);
        return new SmsMessage(Guid.NewGuid().ToString("N"), Phone, NotificationKinds.VerificationCode, fields, text!, language);
    }

    protected static SmsMessage Custom(string content)
    {
        var fields = new Dictionary<string, string> { ["content"] = content };
        return new SmsMessage(Guid.NewGuid().ToString("N"), Phone, NotificationKinds.Custom, fields, content, "zh-CN");
    }

    [Fact]
    public async Task Sends_a_verification_code_and_records_the_providers_message_id()
    {
        var provider = Provider();

        var outcome = await provider.SendAsync(VerificationCode("246810"), CancellationToken.None);

        Assert.Equal(SendResult.Sent, outcome.Kind);
        Assert.Equal(provider.Name, outcome.Provider);
        Assert.False(string.IsNullOrEmpty(outcome.ProviderMessageId));
        var received = Assert.Single(Stub.Accepted);
        Assert.Equal(NumberOnTheWire, received.Phone);
        Assert.True((received.Text ?? "").Contains("246810", StringComparison.Ordinal) || received.TemplateParams.Any(p => p.Contains("246810", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_wrong_secret_fails_the_providers_signature_check_and_is_never_reported_as_sent()
    {
        var outcome = await Provider(wrongSecret: true).SendAsync(VerificationCode(), CancellationToken.None);

        Assert.Equal(SendResult.Transient, outcome.Kind);
        Assert.Equal(1, Stub.Rejected);
        Assert.Empty(Stub.Accepted);
    }

    [Fact]
    public async Task An_invalid_number_is_a_permanent_error()
    {
        Stub.Answer = StubAnswer.InvalidNumber;

        var outcome = await Provider().SendAsync(VerificationCode(), CancellationToken.None);

        Assert.Equal(SendResult.Permanent, outcome.Kind);
        Assert.False(string.IsNullOrEmpty(outcome.Error));
    }

    // The error becomes a log line and the message's history entry, so whatever the provider echoes back must not
    // bring the number or the code with it (Aliyun repeats the whole string to sign when the signature is wrong).
    [Theory]
    [InlineData(StubAnswer.InvalidNumber, false)]
    [InlineData(StubAnswer.Accept, true)]
    public async Task The_error_reported_never_holds_the_number_or_the_code(StubAnswer answer, bool wrongSecret)
    {
        Stub.Answer = answer;

        var outcome = await Provider(wrongSecret).SendAsync(VerificationCode("246810"), CancellationToken.None);

        Assert.NotEqual(SendResult.Sent, outcome.Kind);
        Assert.False(string.IsNullOrEmpty(outcome.Error));
        Assert.DoesNotContain("246810", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("13800138000", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_the_provider_refuses_is_a_permanent_error()
    {
        Stub.Answer = StubAnswer.BadTemplate;

        var outcome = await Provider().SendAsync(VerificationCode(), CancellationToken.None);

        Assert.Equal(SendResult.Permanent, outcome.Kind);
    }

    [Fact]
    public async Task Throttling_is_transient_and_says_how_long_to_wait()
    {
        Stub.Answer = StubAnswer.Throttle;

        var outcome = await Provider().SendAsync(VerificationCode(), CancellationToken.None);

        Assert.Equal(SendResult.Transient, outcome.Kind);
        Assert.NotNull(outcome.RetryAfter);
        Assert.True(outcome.RetryAfter > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_provider_side_error_is_transient_so_the_next_provider_is_tried()
    {
        Stub.Answer = StubAnswer.ServerError;

        var outcome = await Provider().SendAsync(VerificationCode(), CancellationToken.None);

        Assert.Equal(SendResult.Transient, outcome.Kind);
        Assert.Null(outcome.RetryAfter);
    }

    [Fact]
    public async Task Each_send_is_signed_afresh_so_repeated_sends_all_pass_the_check()
    {
        var provider = Provider();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(SendResult.Sent, (await provider.SendAsync(VerificationCode(), CancellationToken.None)).Kind);
        }

        Assert.Equal(3, Stub.Accepted.Count);
        Assert.Equal(0, Stub.Rejected);
    }
}
