using System.Text.Json;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.WebFront.Pages;

namespace WeDrawOS.Tests.Foundation;

/// <summary>What the front tells the console and chat pages, and the policy their HTML is sent with (the pages themselves are tested in a browser: tests/pages).</summary>
public sealed class PagesTests
{
    [Fact]
    public async Task Pages_learn_the_token_url_and_the_private_room_prefixes()
    {
        var settings = TestHost.EmbeddedSettings();
        settings["CONSOLE_TOKEN_URL"] = "/auth/realtime-token";
        settings["ROOM_PRIVATE_PREFIXES"] = "support-,ticket-";
        await using var front = await TestHost.StartFrontAsync(settings);

        var response = await front.Http.GetAsync("/pages/config.json");
        var config = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.Equal("/auth/realtime-token", config.GetProperty("tokenUrl").GetString());
        Assert.Equal(["support-", "ticket-"], config.GetProperty("privateRoomPrefixes").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task Without_a_token_url_the_pages_use_development_tokens()
    {
        await using var front = await TestHost.StartFrontAsync(TestHost.EmbeddedSettings());

        var config = JsonDocument.Parse(await front.Http.GetStringAsync("/pages/config.json")).RootElement;

        Assert.Equal(JsonValueKind.Null, config.GetProperty("tokenUrl").ValueKind);
        Assert.Equal(["support-"], config.GetProperty("privateRoomPrefixes").EnumerateArray().Select(p => p.GetString()));
    }

    [Theory]
    [InlineData(null, "connect-src 'self';")]
    [InlineData("/auth/token", "connect-src 'self';")]
    [InlineData("https://id.example.com:8443/realtime/token?x=1", "connect-src 'self' https://id.example.com:8443;")]
    public void Policy_allows_this_origin_only_and_the_token_urls(string? tokenUrl, string connect)
    {
        var policy = PagesExtensions.ContentSecurityPolicy(new PagesOptions { ConsoleTokenUrl = tokenUrl });

        Assert.Contains(connect, policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'; script-src 'self'; style-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
    }
}
