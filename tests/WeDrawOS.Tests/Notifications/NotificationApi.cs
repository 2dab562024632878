using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Notifications;

/// <summary>What the e-mail and notification tests share: a front with an API key and fast retries, and polling helpers.</summary>
public static class NotificationApi
{
    public const string ApiKey = "test-api-key-0123456789";

    /// <summary>Adds the API key and retry delays short enough for tests to <paramref name="settings"/>.</summary>
    public static Dictionary<string, string> Fast(Dictionary<string, string> settings)
    {
        settings["API_KEY"] = ApiKey;
        settings.TryAdd("NOTIFY_RETRY_BASE_MS", "100");
        settings.TryAdd("NOTIFY_RETRY_MAX_MS", "400");
        settings.TryAdd("NOTIFY_REMINDER_PERIOD_SECONDS", "2");
        return settings;
    }

    public static Dictionary<string, string> With(this Dictionary<string, string> settings, IEnumerable<KeyValuePair<string, string>> more)
    {
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    public static async Task<TestHost> StartFrontAsync(Dictionary<string, string> settings)
    {
        var front = await TestHost.StartFrontAsync(Fast(settings));
        front.Http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return front;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(this TestHost front, string path, object body)
    {
        using var response = await front.Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Posts and expects 202 with an id.</summary>
    public static async Task<string> QueueAsync(this TestHost front, string path, object body)
    {
        var (status, json) = await front.PostAsync(path, body);
        Assert.True(status == HttpStatusCode.Accepted, $"expected 202, got {(int)status}: {json}");
        return json.GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> GetNotificationAsync(this TestHost front, string id)
    {
        var text = await front.Http.GetStringAsync($"/api/notifications/{id}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Polls <c>GET /api/notifications/{id}</c> until <paramref name="done"/> holds, or fails with the last answer.</summary>
    public static Task<JsonElement> WaitForNotificationAsync(this TestHost front, string id, Func<JsonElement, bool> done, TimeSpan? timeout = null) =>
        Eventually.MatchAsync(() => front.GetNotificationAsync(id), done, timeout, "the notification reaching the expected state");

    public static string Status(this JsonElement notification) => notification.GetProperty("status").GetString()!;

    public static int Attempts(this JsonElement notification) => notification.GetProperty("attempts").GetInt32();

    public static string? Error(this JsonElement notification) =>
        notification.TryGetProperty("error", out var error) ? error.GetString() : null;
}
