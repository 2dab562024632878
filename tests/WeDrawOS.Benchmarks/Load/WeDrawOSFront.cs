using Microsoft.Extensions.DependencyInjection;
using WeDrawOS.Front.Auth;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.WebFront;

namespace WeDrawOS.Benchmarks.Load;

/// <summary>This system under test: the real web front in embedded mode, in this process, on free loopback ports.</summary>
public sealed class WeDrawOSFront : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WeDrawOSFront(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a front; <paramref name="settings"/> override the embedded defaults (limits raised for load).</summary>
    public static async Task<WeDrawOSFront> StartAsync(IDictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string>
        {
            ["HTTP_HOST"] = "127.0.0.1",
            ["HTTP_PORT"] = "0",
            ["SILO_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GATEWAY_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CLUSTER_ID"] = "bench-" + Guid.NewGuid().ToString("N")[..8],
            ["REDIS_PORT"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["REDIS_HOST"] = "127.0.0.1",
            ["DASHBOARD_ENABLED"] = "false",
            ["WS_MAX_CONNECTIONS"] = "20000",
            ["WS_RATE_BURST"] = "1000000",
            ["WS_RATE_PER_SECOND"] = "1000000",
            ["WS_SEND_QUEUE_LIMIT"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var app = WebFrontApp.Build(all.Select(kv => $"--{kv.Key}={kv.Value}").Append("--environment=Development").ToArray());
        await app.StartAsync();
        return new WeDrawOSFront(app, new Uri(app.Urls.First()));
    }

    /// <summary>The socket address for a user, with a token signed by the front's own secret.</summary>
    public Uri SocketUri(string userId)
    {
        var token = _app.Services.GetRequiredService<TokenService>().Issue(userId, UserIdentity.Customer, null, TimeSpan.FromHours(1));
        return new Uri($"ws://{BaseUri.Authority}/ws?access_token={Uri.EscapeDataString(token)}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
