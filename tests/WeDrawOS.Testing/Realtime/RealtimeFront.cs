using System.Net.Http.Json;
using WeDrawOS.Front.Auth;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Realtime;

/// <summary>Helpers over a started front: tokens signed by its own secret, and connected clients.</summary>
public static class RealtimeFront
{
    public const string ApiKey = "test-api-key-0123456789";

    public static Dictionary<string, string> Settings(params (string Name, string Value)[] extra)
    {
        var settings = TestHost.EmbeddedSettings();
        settings["API_KEY"] = ApiKey;
        foreach (var (name, value) in extra)
        {
            settings[name] = value;
        }

        return settings;
    }

    /// <summary>An HTTP client of the front's API that sends the API key.</summary>
    public static HttpClient ApiClient(Uri baseAddress)
    {
        var api = new HttpClient { BaseAddress = baseAddress };
        api.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return api;
    }

    /// <summary>
    /// Posts a message with client id <paramref name="id"/> (also its data) to <paramref name="room"/> through the HTTP
    /// API: its seq, or null when the cluster did not accept it or could not be asked (as while a dead silo is replaced).
    /// </summary>
    public static async Task<long?> TryPostAsync(this HttpClient api, string room, string id)
    {
        try
        {
            using var response = await api.PostAsJsonAsync($"/api/rooms/{room}/messages", new { id, data = id });
            return response.StatusCode == System.Net.HttpStatusCode.Accepted
                ? System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("seq").GetInt64()
                : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public static string Token(this TestHost front, string userId, string role = UserIdentity.Customer, TimeSpan? lifetime = null) =>
        front.GetRequiredService<TokenService>().Issue(userId, role, null, lifetime ?? TimeSpan.FromHours(1));

    public static async Task<WsClient> ConnectAsync(this TestHost front, string userId, string role = UserIdentity.Customer) =>
        (await WsClient.ConnectWelcomedAsync(front.BaseAddress, front.Token(userId, role))).Client;

    /// <summary>Joins <paramref name="room"/> and returns the <c>joined</c> frame.</summary>
    public static async Task<System.Text.Json.JsonElement> JoinAsync(this WsClient client, string room, long? since = null)
    {
        await client.SendAsync(since is null ? new { type = "join", room } : new { type = "join", room, since });
        return await client.WaitForAsync(f => f.GetProperty("type").GetString() is "joined" or "error");
    }
}
