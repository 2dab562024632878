using System.Net;
using System.Text.Json;
using WeDrawOS.Tests.Infrastructure;

namespace WeDrawOS.Tests.Foundation;

/// <summary>The default mode: one process, co-hosted silo, nothing else installed or running.</summary>
public sealed class EmbeddedHostTests
{
    [Fact]
    public async Task Embedded_front_serves_health_status_and_dashboard_without_redis()
    {
        await using var front = await TestHost.StartFrontAsync(TestHost.EmbeddedSettings());

        Assert.Equal(HttpStatusCode.OK, (await front.Http.GetAsync("/health/live")).StatusCode);

        var ready = await front.Http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var services = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("services");
        Assert.Equal("healthy", services.GetProperty("orleans").GetProperty("status").GetString());
        Assert.Equal("degraded", services.GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal("healthy", services.GetProperty("smtp").GetProperty("status").GetString());
        Assert.Equal("healthy", services.GetProperty("sms").GetProperty("status").GetString());

        var status = JsonDocument.Parse(await front.Operator.GetStringAsync("/api/status")).RootElement;
        Assert.Equal("embedded", status.GetProperty("mode").GetString());
        Assert.Equal(1, status.GetProperty("silos").GetArrayLength());
        Assert.Equal("memory-fallback", status.GetProperty("cacheMode").GetString());

        var dashboard = await front.Http.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("text/html", dashboard.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_never_appear_in_health_or_status()
    {
        var settings = TestHost.EmbeddedSettings();
        settings["REDIS_PASSWORD"] = "redis-secret-marker";
        settings["MAIL_PASS"] = "mail-secret-marker";
        settings["MAIL_USER"] = "mailer";
        settings["JWT_SECRET"] = "jwt-secret-marker-0123456789abcdef";
        settings["API_KEY"] = "api-key-secret-marker";
        await using var front = await TestHost.StartFrontAsync(settings);

        var bodies = string.Concat(
            await front.Operator.GetStringAsync("/health/ready"),
            await front.Operator.GetStringAsync("/api/status"));

        Assert.DoesNotContain("secret-marker", bodies, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graceful_stop_leaves_the_cluster_and_stops_serving()
    {
        var front = await TestHost.StartFrontAsync(TestHost.EmbeddedSettings());
        var address = front.BaseAddress;

        await front.DisposeAsync();

        using var http = new HttpClient { BaseAddress = address };
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("/health/live"));
    }
}
