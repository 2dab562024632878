using WeDrawOS.Grains.Rooms;

namespace WeDrawOS.Tests.Realtime;

public sealed class PrivateRoomIdsTests
{
    [Theory]
    [InlineData("support-42", "42")]
    [InlineData("support-vip-42", "42")]
    [InlineData("support-", "")]
    [InlineData("Support-42", null)]
    [InlineData("lobby", null)]
    public void Owner_is_what_follows_the_longest_matching_prefix(string room, string? owner) =>
        Assert.Equal(owner, PrivateRoomIds.OwnerOf(room, ["support-", "support-vip-"]));
}
