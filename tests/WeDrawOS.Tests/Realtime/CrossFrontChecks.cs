using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Realtime;

/// <summary>What two fronts of one cluster must do for users spread over them, whatever the deployment.</summary>
internal static class CrossFrontChecks
{
    /// <summary>
    /// alice on <paramref name="frontA"/> and bob on both fronts: alice's messages in each of <paramref name="rooms"/>
    /// reach bob in seq order, bob's direct message reaches both of alice's and his own other socket's front, a
    /// broadcast through <paramref name="frontB"/> reaches both fronts, and bob's presence counts both sockets.
    /// </summary>
    public static async Task UsersReachEachOtherAsync(TestHost frontA, TestHost frontB, IReadOnlyList<string> rooms)
    {
        await using var alice = await frontA.ConnectAsync("alice");
        await using var bob = await frontB.ConnectAsync("bob");
        await using var bobOnA = await frontA.ConnectAsync("bob");
        foreach (var room in rooms)
        {
            await alice.JoinAsync(room);
            await bob.JoinAsync(room);
        }

        foreach (var room in rooms)
        {
            for (var n = 1; n <= 5; n++)
            {
                await alice.SendAsync(new { type = "send", id = room + "-" + n, room, data = n });
            }

            for (var n = 1; n <= 5; n++)
            {
                var message = await bob.NextAsync("message", m => m.GetProperty("room").GetString() == room);
                Assert.Equal((n, "alice"), (message.GetProperty("seq").GetInt64(), message.GetProperty("from").GetString()));
            }
        }

        await bob.SendAsync(new { type = "send", id = "dm", to = "alice", data = "hi from B" });
        Assert.Equal("hi from B", (await alice.NextAsync("message", m => !m.TryGetProperty("room", out _))).GetProperty("data").GetString());
        // bob's other connection, on the other front, gets its own direct message too.
        Assert.Equal("hi from B", (await bobOnA.NextAsync("message", m => !m.TryGetProperty("room", out _))).GetProperty("data").GetString());

        using var api = RealtimeFront.ApiClient(frontB.BaseAddress);
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsJsonAsync("/api/broadcast", new { data = "all fronts" })).StatusCode);
        Assert.Equal("all fronts", (await alice.NextAsync("broadcast")).GetProperty("data").GetString());
        Assert.Equal("all fronts", (await bob.NextAsync("broadcast")).GetProperty("data").GetString());
        var presence = JsonDocument.Parse(await api.GetStringAsync("/api/users/bob/presence")).RootElement;
        Assert.Equal(2, presence.GetProperty("connections").GetInt32());
    }
}
