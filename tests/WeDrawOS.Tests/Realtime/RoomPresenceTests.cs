using System.Text.Json;
using Orleans.Core.Internal;
using Orleans.Runtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Grains.Interfaces.Users;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// Rooms answer joins and presence queries from the presence they track: the silo's grain calls to
/// <see cref="IUserGrain.Presence"/> are counted, while members go online and offline and the room is re-activated.
/// </summary>
public sealed class RoomPresenceTests : IAsyncLifetime
{
    private TestHost _front = null!;
    private GrainCallCounter _calls = null!;
    private IGrainFactory _grains = null!;

    public async Task InitializeAsync()
    {
        var settings = RealtimeFront.Settings();
        settings.Add(GrainCallCounter.Settings.Key, GrainCallCounter.Settings.Value);
        _front = await TestHost.StartFrontAsync(settings);
        _calls = _front.GetRequiredService<GrainCallCounter>();
        _grains = _front.GetRequiredService<IGrainFactory>();
    }

    public async Task DisposeAsync() => await _front.DisposeAsync();

    private int PresenceCalls => _calls.Count<IUserGrain>(nameof(IUserGrain.Presence));

    [Fact]
    public async Task A_join_to_a_room_of_a_thousand_members_asks_no_member_for_presence()
    {
        var room = _grains.GetGrain<IRoomGrain>("thousand");
        var members = await AddMembersAsync(room, "member", 1000);
        var before = PresenceCalls;

        await using var alice = await _front.ConnectAsync("alice");
        var joined = await alice.JoinAsync("thousand");
        Assert.Equal(1001, joined.GetProperty("members").GetArrayLength());
        Assert.Equal(["alice"], OnlineIn(joined));

        await using (var member = await _front.ConnectAsync(members[7]))
        {
            await alice.NextAsync("event", e => e.GetProperty("event").GetString() == "user_online" && e.GetProperty("userId").GetString() == members[7]);
            Assert.Equal(["alice", members[7]], await OnlineSeenByAsync(alice, "thousand"));
            await member.CloseAsync();
        }

        await alice.NextAsync("event", e => e.GetProperty("event").GetString() == "user_offline" && e.GetProperty("userId").GetString() == members[7]);
        Assert.Equal(["alice"], await OnlineSeenByAsync(alice, "thousand"));
        await using var bob = await _front.ConnectAsync("bob");
        Assert.Equal(["alice", "bob"], OnlineIn(await bob.JoinAsync("thousand")));

        // The activation asked its first member once, when the first join needed presence; nothing since.
        Assert.InRange(before, 0, 1);
        Assert.Equal(before, PresenceCalls);
    }

    [Fact]
    public async Task A_reactivated_room_asks_each_member_once_and_then_follows_their_changes()
    {
        var room = _grains.GetGrain<IRoomGrain>("comeback");
        var members = await AddMembersAsync(room, "regular", 40);
        await using var first = await _front.ConnectAsync(members[1]);
        await using var second = await _front.ConnectAsync(members[2]);
        await Eventually.TrueAsync(async () => Online(await room.Presence()).SequenceEqual([members[1], members[2]]), what: "two members online");

        await room.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Eventually.TrueAsync(async () => !await IsActiveAsync(room), what: "the room's deactivation");
        var before = PresenceCalls;

        Assert.Equal([members[1], members[2]], Online(await room.Presence()));
        Assert.Equal(before + members.Count, PresenceCalls);

        await second.CloseAsync();
        await Eventually.TrueAsync(async () => Online(await room.Presence()).SequenceEqual([members[1]]), what: "the member going offline");
        await using var third = await _front.ConnectAsync(members[3]);
        await Eventually.TrueAsync(async () => Online(await room.Presence()).SequenceEqual([members[1], members[3]]), what: "another member coming online");
        Assert.Equal(before + members.Count, PresenceCalls);
    }

    /// <summary>
    /// Members joined through the grain, as a .NET service would, without sockets: offline once their user grains
    /// reported it.
    /// </summary>
    private static async Task<List<string>> AddMembersAsync(IRoomGrain room, string prefix, int count)
    {
        var members = Enumerable.Range(0, count).Select(i => $"{prefix}{i:D4}").ToList();
        await Task.WhenAll(members.Select(m => room.Join(m, false, null)));
        await Eventually.TrueAsync(async () => Online(await room.Presence()).Count == 0, what: "the new members' presence reports");
        return members;
    }

    private async Task<bool> IsActiveAsync(IRoomGrain room)
    {
        var statistics = await _grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return statistics.Any(s => s.GrainId == room.GetGrainId());
    }

    private static async Task<List<string>> OnlineSeenByAsync(WsClient client, string room)
    {
        await client.SendAsync(new { type = "presence", room });
        return OnlineIn(await client.NextAsync("presence"));
    }

    private static List<string> OnlineIn(JsonElement frame) =>
        frame.GetProperty("members").EnumerateArray().Where(m => m.GetProperty("online").GetBoolean()).Select(m => m.GetProperty("userId").GetString()!).ToList();

    private static List<string> Online(IReadOnlyList<MemberPresence> members) => members.Where(m => m.Online).Select(m => m.UserId).ToList();
}
