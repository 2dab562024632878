using Microsoft.Extensions.Time.Testing;
using WeDrawOS.Grains.Interfaces.Verification;
using WeDrawOS.Grains.Verification;
using WeDrawOS.Notifications.Verification;
using WeDrawOS.Tests.Sms;

namespace WeDrawOS.Tests.Verification;

/// <summary>The rules of verification codes, with a clock moved by hand (no waiting for real minutes to pass).</summary>
public sealed class VerificationLifecycleTests
{
    private readonly FakeTimeProvider _clock = new();
    private readonly VerificationState _state = new();
    private readonly VerificationBook _book;

    public VerificationLifecycleTests() => _book = new VerificationBook(_state, new VerificationOptions(), _clock);

    private static string Wrong(string code) => code == "000000" ? "000001" : "000000";

    [Fact]
    public void An_issued_code_is_six_digits_and_verifies_once()
    {
        var code = _book.Issue("login");

        Assert.Matches("^[0-9]{6}$", code);
        Assert.Equal(VerifyCodeResult.Valid, _book.Verify("login", code));
        Assert.Equal(VerifyCodeResult.Invalid, _book.Verify("login", code));
    }

    [Fact]
    public void Only_a_salted_hash_of_the_code_is_stored()
    {
        var code = _book.Issue("login");
        var other = new VerificationBook(new VerificationState(), new VerificationOptions(), _clock);
        other.Issue("login");

        var stored = _state.Codes["login"];
        Assert.DoesNotContain(code, Convert.ToHexString(stored.Hash), StringComparison.Ordinal);
        Assert.DoesNotContain(code, System.Text.Encoding.UTF8.GetString(stored.Hash), StringComparison.Ordinal);
        Assert.Equal(16, stored.Salt.Length);
        Assert.Equal(32, stored.Hash.Length);
    }

    [Fact]
    public void A_wrong_code_is_invalid_and_the_right_one_still_works_afterwards()
    {
        var code = _book.Issue("login");

        Assert.Equal(VerifyCodeResult.Invalid, _book.Verify("login", Wrong(code)));
        Assert.Equal(VerifyCodeResult.Valid, _book.Verify("login", code));
    }

    [Fact]
    public void A_code_expires_after_five_minutes()
    {
        var code = _book.Issue("login");

        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(VerifyCodeResult.Expired, _book.Verify("login", code));
    }

    [Fact]
    public void A_code_is_still_valid_just_before_it_expires()
    {
        var code = _book.Issue("login");

        _clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));

        Assert.Equal(VerifyCodeResult.Valid, _book.Verify("login", code));
    }

    [Fact]
    public void The_lifetime_is_configurable()
    {
        var book = new VerificationBook(new VerificationState(), new VerificationOptions { CodeLifetimeMinutes = 10 }, _clock);
        var code = book.Issue("login");

        _clock.Advance(TimeSpan.FromMinutes(9));

        Assert.Equal(VerifyCodeResult.Valid, book.Verify("login", code));
    }

    [Fact]
    public void After_five_wrong_guesses_even_the_right_code_is_refused()
    {
        var code = _book.Issue("login");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(VerifyCodeResult.Invalid, _book.Verify("login", Wrong(code)));
        }

        Assert.Equal(VerifyCodeResult.TooManyAttempts, _book.Verify("login", code));
    }

    [Fact]
    public void Re_issuing_replaces_the_previous_code_and_resets_the_attempts()
    {
        var first = _book.Issue("login");
        for (var i = 0; i < 4; i++)
        {
            _book.Verify("login", Wrong(first));
        }

        _clock.Advance(TimeSpan.FromMinutes(2));
        var second = _book.Issue("login");

        if (first != second)
        {
            Assert.Equal(VerifyCodeResult.Invalid, _book.Verify("login", first));
        }

        Assert.Equal(VerifyCodeResult.Valid, _book.Verify("login", second));
    }

    [Fact]
    public void Codes_of_different_purposes_are_independent()
    {
        var login = _book.Issue("login");
        _clock.Advance(TimeSpan.FromMinutes(1));
        var reset = _book.Issue("reset_password");

        Assert.Equal(VerifyCodeResult.Valid, _book.Verify("reset_password", reset));
        Assert.Equal(VerifyCodeResult.Valid, _book.Verify("login", login));
    }

    [Fact]
    public void A_second_code_within_a_minute_is_refused_until_the_minute_is_over()
    {
        _book.Issue("login");
        _clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(TimeSpan.FromSeconds(40), _book.RateLimitWait());

        _clock.Advance(TimeSpan.FromSeconds(40));
        Assert.Null(_book.RateLimitWait());
    }

    [Fact]
    public void At_most_five_codes_an_hour_are_issued()
    {
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(_book.RateLimitWait());
            _book.Issue("login");
            _clock.Advance(TimeSpan.FromMinutes(2));
        }

        // The first of the five was issued 10 minutes ago: the hour frees a slot in 50 minutes.
        Assert.Equal(TimeSpan.FromMinutes(50), _book.RateLimitWait());
    }

    [Fact]
    public void At_most_ten_codes_a_day_are_issued()
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(_book.RateLimitWait());
            _book.Issue("login");
            _clock.Advance(TimeSpan.FromMinutes(15));
        }

        var wait = _book.RateLimitWait();
        Assert.NotNull(wait);
        Assert.True(wait > TimeSpan.FromHours(20), $"waits {wait}");
    }

    [Fact]
    public void A_withdrawn_code_is_not_valid_and_does_not_count_against_the_limits()
    {
        var code = _book.Issue("login");

        _book.Withdraw("login");

        Assert.Equal(VerifyCodeResult.Invalid, _book.Verify("login", code));
        Assert.Null(_book.RateLimitWait());
    }

    [Fact]
    public void Codes_come_from_the_whole_range_of_six_digits()
    {
        var codes = Enumerable.Range(0, 200).Select(_ => new VerificationBook(new VerificationState(), new VerificationOptions(), _clock).Issue("p")).ToHashSet();

        Assert.True(codes.Count > 190);
        Assert.Contains(codes, c => c[0] is '0' or '1' or '2' or '3' or '4');
        Assert.Contains(codes, c => c[0] is '5' or '6' or '7' or '8' or '9');
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("ünïcode")]
    public void A_malformed_purpose_is_refused(string purpose)
    {
        Assert.Throws<ArgumentException>(() => VerificationPurpose.Validate(purpose));
    }
}
