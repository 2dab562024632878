using WeDrawOS.Notifications.Sms;

namespace WeDrawOS.Tests.Sms;

public sealed class PhoneNumberNormalizerTests
{
    [Theory]
    [InlineData("13800138000", "+8613800138000")]
    [InlineData("+86 138 0013 8000", "+8613800138000")]
    [InlineData("138-0013-8000", "+8613800138000")]
    [InlineData("+1 (650) 253-0000", "+16502530000")]
    [InlineData("+852 9123 4567", "+85291234567")]
    public void Valid_numbers_are_written_in_E164_with_CN_as_the_default_region(string input, string expected)
    {
        Assert.True(PhoneNumberNormalizer.TryNormalize(input, "CN", out var e164, out _));
        Assert.Equal(expected, e164);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("not a number")]
    [InlineData("+86 138 0013 80001234")]
    [InlineData("10086")]
    public void Invalid_numbers_are_refused_with_a_reason(string input)
    {
        Assert.False(PhoneNumberNormalizer.TryNormalize(input, "CN", out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    // Valid numbers, but fixed lines: no provider can deliver an SMS there, so they are bad input (400) rather than
    // queued, accepted with a 202, and refused by the provider later.
    [Theory]
    [InlineData("010 6552 9988")]
    [InlineData("+86 21 6321 0000")]
    [InlineData("+44 20 7946 0000")]
    public void Fixed_line_numbers_are_refused_because_they_cannot_receive_sms(string input)
    {
        Assert.False(PhoneNumberNormalizer.TryNormalize(input, "CN", out _, out var error));
        Assert.Contains("mobile", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Numbers_in_logs_keep_only_the_country_code_and_last_four_digits()
    {
        Assert.Equal("+86*******8000", PhoneNumberNormalizer.Mask("+8613800138000"));
    }
}
