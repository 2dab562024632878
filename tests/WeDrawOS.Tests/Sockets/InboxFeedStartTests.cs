using Microsoft.Extensions.Time.Testing;
using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Tests.Sockets;

/// <summary>
/// Two sockets of one user registered on a front at the same moment: the user grain answers each registration with the
/// inbox's latest seq, and the front may handle the answers in either order. The first answer handled starts the user's
/// inbox feed; a socket's <c>welcome</c> must not claim a seq below it.
/// </summary>
public sealed class InboxFeedStartTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task A_socket_whose_registration_answer_is_handled_after_a_higher_one_is_welcomed_where_the_feed_started()
    {
        var registry = NoClusterSources.Registry(_time);
        await using var laptop = await LoopbackSocket.OpenAsync(_time, registry);
        await using var phone = await LoopbackSocket.OpenAsync(_time, registry);
        phone.Connection.Identity = laptop.Connection.Identity;
        var user = laptop.Connection.UserId;
        registry.Add(laptop.Connection);
        registry.Add(phone.Connection);

        // The laptop's registration was answered 10; then direct message 11 was stored and pushed; then the phone's
        // registration was answered 11 and handled here first: the feed starts at 11 and drops 11 as covered.
        registry.DeliverDirect(user, new ChatMessage(null, 11, "bob", "b-11", "11", _time.GetUtcNow(), user), null);
        Assert.Equal(11, registry.InboxReached(user, 11));

        // Before, the laptop was welcomed with 10 and never got 11: its client had no reason to ask its inbox for it.
        Assert.Equal(11, registry.InboxReached(user, 10));
        Assert.Equal(12, registry.InboxReached(user, 12));
    }
}
