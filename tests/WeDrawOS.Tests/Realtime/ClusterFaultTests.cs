using System.Text.Json;
using WeDrawOS.Front.Sockets;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Realtime;

/// <summary>Cluster mode with Redis not answering (frozen with SIGSTOP): what sockets and health checks tell the outside.</summary>
public sealed class ClusterFaultTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private TestHost _silo = null!;
    private TestHost _front = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        var clusterId = "rt-fault-" + Guid.NewGuid().ToString("N")[..8];
        _silo = await TestHost.StartSiloAsync(TestHost.ClusterSettings(_redis, clusterId));
        var front = TestHost.ClusterSettings(_redis, clusterId);
        front["API_KEY"] = RealtimeFront.ApiKey;
        front["JWT_SECRET"] = "cluster-tests-secret-0123456789abcdefgh";
        _front = await TestHost.StartFrontAsync(front);
    }

    public async Task DisposeAsync()
    {
        // Redis back first: a silo that cannot write its membership row shuts down slowly.
        await _redis.ThawAsync();
        await _front.DisposeAsync();
        await _silo.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task A_frame_sent_while_redis_is_down_is_answered_unavailable()
    {
        await using var alice = await _front.ConnectAsync("alice");
        await alice.JoinAsync("down");
        await _redis.FreezeAsync();

        await alice.SendAsync(new { type = "send", id = "x1", room = "down", data = 1 });

        var answer = await alice.WaitForAsync(f => f.TryGetProperty("id", out var i) && i.GetString() == "x1");
        Assert.Equal("error", answer.GetProperty("type").GetString());
        Assert.Equal("unavailable", answer.GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_api_call_while_redis_is_down_is_answered_503_unavailable_not_500_internal()
    {
        using var api = RealtimeFront.ApiClient(_front.BaseAddress);
        Assert.NotNull(await api.TryPostAsync("down-api", "before"));
        await _redis.FreezeAsync();

        using var response = await api.PostAsync("/api/rooms/down-api/messages", new StringContent("""{"id":"x1","data":1}""", System.Text.Encoding.UTF8, "application/json"));

        // Before, the grain call's timeout reached the exception handler as any crash: 500 `internal`, which told the
        // caller the server is broken rather than "the cluster is not reachable; try again", as the socket says.
        await Foundation.DevTokenTests.AssertProblem(response, System.Net.HttpStatusCode.ServiceUnavailable, "unavailable");
        Assert.True(response.Headers.RetryAfter is not null, "503 unavailable carries Retry-After");
    }

    [Fact]
    public async Task A_join_that_could_not_subscribe_leaves_nothing_of_the_socket_in_the_room()
    {
        await using var alice = await _front.ConnectAsync("alice");
        await _redis.FreezeAsync();

        Assert.Equal("error", (await alice.JoinAsync("unreached")).GetProperty("type").GetString());
        await _redis.ThawAsync();

        // Before, the socket stayed in the room as a pending join for good: the front kept the room's feed and its
        // subscription, queued every message of the room for the socket, and took its frames as those of a member.
        Assert.DoesNotContain("unreached", _front.GetRequiredService<ConnectionRegistry>().Rooms());
        await alice.SendAsync(new { type = "typing", room = "unreached" });
        Assert.Equal("not_joined", (await alice.NextAsync("error")).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_socket_whose_join_again_fails_stays_in_the_room_and_gets_its_messages()
    {
        await using var alice = await _front.ConnectAsync("alice");
        await using var alicesPhone = await _front.ConnectAsync("alice");
        await alice.JoinAsync("kept");
        await alicesPhone.JoinAsync("kept");

        // The user's other socket leaves, so the user is no longer a member: the join again has to write the room.
        await alicesPhone.SendAsync(new { type = "leave", room = "kept" });
        await alicesPhone.NextAsync("left");
        await _redis.FreezeAsync();
        Assert.Equal("error", (await alice.JoinAsync("kept", since: 0)).GetProperty("type").GetString());
        await _redis.ThawAsync();

        // The failed join told the socket nothing about leaving, so it is still in the room.
        using var api = RealtimeFront.ApiClient(_front.BaseAddress);
        await Eventually.TrueAsync(async () => await api.TryPostAsync("kept", "after") is not null, what: "a post accepted once Redis is back");
        Assert.Equal("after", (await alice.NextAsync("message")).GetProperty("data").GetString());
    }

    [Fact]
    public async Task The_ready_check_of_a_front_says_that_redis_is_what_is_missing()
    {
        await _redis.FreezeAsync();

        JsonElement orleans = default;
        await Eventually.TrueAsync(async () =>
        {
            // The detail (which service is missing) is only shown to an operator.
            using var response = await _front.Operator.GetAsync("/health/ready");
            orleans = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("services").GetProperty("orleans").Clone();
            return orleans.GetProperty("status").GetString() == "unhealthy";
        }, what: "the orleans entry unhealthy");

        var description = orleans.GetProperty("description").GetString()!;
        Assert.DoesNotContain("CodecNotFoundException", description);
        Assert.Contains("Redis", description);
    }
}
