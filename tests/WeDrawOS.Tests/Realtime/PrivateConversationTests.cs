using System.Net;
using System.Text.Json;
using WeDrawOS.Front.Auth;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// Private conversations (<c>ROOM_PRIVATE_PREFIXES</c>): a room named a prefix and a user id admits that user and staff
/// only, on every operation, whatever the member list says.
/// </summary>
public sealed class PrivateConversationTests
{
    [Fact]
    public async Task Support_room_admits_its_customer_and_staff_only()
    {
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings());
        await using var owner = await front.ConnectAsync("c42");
        await using var agent = await front.ConnectAsync("agent-9", UserIdentity.Agent);
        await using var admin = await front.ConnectAsync("admin-1", UserIdentity.Admin);
        await using var other = await front.ConnectAsync("c43");

        Assert.Equal("joined", Type(await owner.JoinAsync("support-c42")));
        Assert.Equal("joined", Type(await agent.JoinAsync("support-c42")));
        Assert.Equal("joined", Type(await admin.JoinAsync("support-c42")));
        await owner.SendAsync(new { type = "send", id = "o1", room = "support-c42", data = new { text = "我的订单 / my order" } });
        Assert.Equal(1, (await owner.NextAsync("ack")).GetProperty("seq").GetInt64());
        Assert.Equal("o1", (await agent.NextAsync("message")).GetProperty("id").GetString());

        await AssertRefusedEverywhereAsync(other, "support-c42");

        // A customer's own conversation is theirs.
        Assert.Equal("joined", Type(await other.JoinAsync("support-c43")));
    }

    [Fact]
    public async Task Member_list_does_not_open_a_private_conversation_nor_close_it_to_its_customer()
    {
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings());
        front.Http.DefaultRequestHeaders.Add("X-Api-Key", RealtimeFront.ApiKey);
        Assert.Equal(HttpStatusCode.NoContent, (await front.Http.PutAsync("/api/rooms/support-c50/members/c51", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await front.Http.DeleteAsync("/api/rooms/support-c50/members/c50")).StatusCode);
        await using var owner = await front.ConnectAsync("c50");
        await using var listed = await front.ConnectAsync("c51");

        Assert.Equal("joined", Type(await owner.JoinAsync("support-c50")));
        await AssertRefusedEverywhereAsync(listed, "support-c50");

        // Services post as staff through the HTTP API.
        var posted = await front.Http.PostAsync("/api/rooms/support-c50/messages",
            new StringContent(JsonSerializer.Serialize(new { from = "orders", data = new { text = "已发货 / shipped" } }), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal("orders", (await owner.NextAsync("message")).GetProperty("from").GetString());
    }

    [Fact]
    public async Task Prefixes_come_from_the_setting_and_the_longest_one_names_the_owner()
    {
        await using var front = await TestHost.StartFrontAsync(RealtimeFront.Settings(("ROOM_PRIVATE_PREFIXES", "ticket-, ticket-vip-")));
        await using var vip = await front.ConnectAsync("7");
        await using var someone = await front.ConnectAsync("vip-7");

        Assert.Equal("joined", Type(await vip.JoinAsync("ticket-vip-7")));
        Assert.Equal("forbidden", (await someone.JoinAsync("ticket-vip-7")).GetProperty("code").GetString());
        Assert.Equal("forbidden", (await vip.JoinAsync("ticket-8")).GetProperty("code").GetString());
        // support- is an ordinary room name under this setting.
        Assert.Equal("joined", Type(await someone.JoinAsync("support-7")));
    }

    /// <summary>Join, send, history, presence, read and typing are all refused to <paramref name="client"/>.</summary>
    private static async Task AssertRefusedEverywhereAsync(WsClient client, string room)
    {
        Assert.Equal("forbidden", (await client.JoinAsync(room)).GetProperty("code").GetString());
        await client.SendAsync(new { type = "send", id = "sneak", room, data = "x" });
        var refusedSend = await client.NextAsync("error");
        Assert.Equal(("forbidden", "sneak"), (refusedSend.GetProperty("code").GetString(), refusedSend.GetProperty("id").GetString()));
        await client.SendAsync(new { type = "history", room });
        Assert.Equal("forbidden", (await client.NextAsync("error")).GetProperty("code").GetString());
        await client.SendAsync(new { type = "presence", room });
        Assert.Equal("forbidden", (await client.NextAsync("error")).GetProperty("code").GetString());
        await client.SendAsync(new { type = "read", room, seq = 1 });
        Assert.Equal("not_joined", (await client.NextAsync("error")).GetProperty("code").GetString());
        await client.SendAsync(new { type = "typing", room });
        Assert.Equal("not_joined", (await client.NextAsync("error")).GetProperty("code").GetString());
        Assert.Empty(client.Unread("message"));
    }

    private static string? Type(JsonElement frame) => frame.GetProperty("type").GetString();
}
