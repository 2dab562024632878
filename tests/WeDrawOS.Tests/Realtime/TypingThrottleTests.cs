using Microsoft.Extensions.Time.Testing;
using WeDrawOS.Grains.Rooms;

namespace WeDrawOS.Tests.Realtime;

/// <summary>The room's typing throttle on a hand-moved clock: one notice per user per second.</summary>
public sealed class TypingThrottleTests
{
    [Fact]
    public void One_notice_per_user_passes_per_second()
    {
        var clock = new FakeTimeProvider();
        var throttle = new TypingThrottle(clock);

        Assert.True(throttle.TryPass("alice"));
        Assert.False(throttle.TryPass("alice"));
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(throttle.TryPass("alice"));
        Assert.True(throttle.TryPass("bob"));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(throttle.TryPass("alice"));
        Assert.False(throttle.TryPass("alice"));
    }

    [Fact]
    public void Many_typists_are_each_throttled_and_forgotten_after_the_interval()
    {
        var clock = new FakeTimeProvider();
        var throttle = new TypingThrottle(clock);
        var users = Enumerable.Range(0, 200).Select(n => "u" + n).ToList();

        Assert.All(users, u => Assert.True(throttle.TryPass(u)));
        Assert.All(users, u => Assert.False(throttle.TryPass(u)));
        clock.Advance(TypingThrottle.Interval);
        Assert.All(users, u => Assert.True(throttle.TryPass(u)));
    }
}
