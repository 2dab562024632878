using System.Globalization;

namespace WeDrawOS.Tests.Sms;

/// <summary>Distinct valid mainland mobile numbers, so tests sharing a front never share an outbox.</summary>
public static class TestPhones
{
    private static int _next = Random.Shared.Next(10_000_000, 80_000_000);

    /// <summary>A new number in E.164, e.g. <c>+8613912345678</c>.</summary>
    public static string Next() => "+86139" + Interlocked.Increment(ref _next).ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>The number as people write it at home (no country code).</summary>
    public static string National(string e164) => e164[3..];
}
