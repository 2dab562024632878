using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using WeDrawOS.Configuration;
using WeDrawOS.Front.Auth;
using WeDrawOS.Front.Sockets;
using WeDrawOS.Grains.Realtime;
using WeDrawOS.Hosting;
using WeDrawOS.WebFront.Pages;

namespace WeDrawOS.Tests.Foundation;

public sealed class SettingsTests
{
    private const string GoodSecret = "0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("WS_MAX_CONNECTIONS", "abc")]
    [InlineData("WS_MAX_CONNECTIONS", "0")]
    [InlineData("WS_PING_INTERVAL", "-5")]
    [InlineData("WS_MAX_MESSAGE_SIZE", "1.5")]
    [InlineData("REDIS_PORT", "70000")]
    [InlineData("REDIS_PORT", "six")]
    [InlineData("REDIS_DB", "16")]
    [InlineData("REDIS_MAX_RETRIES", "-1")]
    [InlineData("CLUSTER_MODE", "mesh")]
    [InlineData("SILO_PORT", "65536")]
    [InlineData("ADVERTISED_IP", "not-an-ip")]
    [InlineData("SHUTDOWN_TIMEOUT_SECONDS", "0")]
    [InlineData("DASHBOARD_ENABLED", "maybe")]
    [InlineData("SILO_PROBE_TIMEOUT_MS", "100")]
    [InlineData("SILO_MISSED_PROBES_LIMIT", "0")]
    [InlineData("FRONT_CALL_TIMEOUT_MS", "fast")]
    [InlineData("STREAM_QUEUE_COUNT", "0")]
    [InlineData("STREAM_PULL_PERIOD_MS", "0")]
    [InlineData("MAIL_PORT", "smtp")]
    [InlineData("MAIL_FROM", "nobody")]
    [InlineData("SMS_PROVIDERS", "mock,pigeon")]
    [InlineData("API_KEY", "short")]
    [InlineData("ROOM_PRIVATE_PREFIXES", "support-,help desk-")]
    [InlineData("ROOM_PRIVATE_PREFIXES", "support-,0123456789012345678901234567890123456789012345678901234567890123456789")]
    [InlineData("CONSOLE_TOKEN_URL", "auth/token")]
    [InlineData("CONSOLE_TOKEN_URL", "//id.example.com/token")]
    [InlineData("CONSOLE_TOKEN_URL", "ftp://id.example.com/token")]
    public void Bad_value_is_reported_with_the_variable_name(string variable, string value)
    {
        var errors = Load(new() { [variable] = value }, "Production");

        var line = Assert.Single(errors.Lines);
        Assert.StartsWith(variable + ":", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Short_jwt_secret_is_refused_without_echoing_it()
    {
        const string secret = "too-short-secret";
        var errors = Load(new() { ["JWT_SECRET"] = secret }, "Production");

        var line = Assert.Single(errors.Lines);
        Assert.StartsWith("JWT_SECRET:", line, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Jwt_secret_is_required_outside_development_only()
    {
        var production = new Dictionary<string, string?>();
        production.Remove("JWT_SECRET");

        Assert.Contains(LoadWithoutDefaults(production, "Production").Lines, l => l.StartsWith("JWT_SECRET:", StringComparison.Ordinal));
        Assert.False(LoadWithoutDefaults(production, "Development").Any);
    }

    [Theory]
    [InlineData("ROOM_PRIVATE_PREFIXES", "none")]
    [InlineData("ROOM_PRIVATE_PREFIXES", " support- , ticket- ")]
    [InlineData("CONSOLE_TOKEN_URL", "/auth/realtime-token")]
    [InlineData("CONSOLE_TOKEN_URL", "https://id.example.com/realtime/token")]
    public void Good_value_is_accepted(string variable, string value) =>
        Assert.False(Load(new() { [variable] = value }, "Production").Any);

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var errors = Load(new() { ["WS_MAX_CONNECTIONS"] = "abc", ["REDIS_PORT"] = "70000", ["CLUSTER_MODE"] = "mesh" }, "Production");

        Assert.Equal(3, errors.Lines.Count);
    }

    [Fact]
    public void Defaults_are_the_original_services()
    {
        var loader = new SettingsLoader(Configuration(new()), Environment("Development"));
        var core = CoreSettings.Load(loader);
        var sockets = loader.Load<SocketOptions>();
        var realtime = loader.Load<RealtimeOptions>();

        Assert.False(loader.Errors.Any);
        Assert.Equal(ClusterMode.Embedded, core.Cluster.Mode);
        Assert.Equal(("localhost", 6379, 0), (core.Redis.Host, core.Redis.Port, core.Redis.Database));
        Assert.Equal((30_000, 1000, 1_048_576), (sockets.PingIntervalMs, sockets.MaxConnections, sockets.MaxMessageSize));
        Assert.Equal((100, 50), (sockets.RateBurst, sockets.RatePerSecond));
        Assert.Equal(30, core.Hosting.ShutdownTimeoutSeconds);
        Assert.True(core.Mail.PickupMode);
        Assert.True(core.Sms.MockMode);
        Assert.Equal(["support-"], realtime.RoomPrivatePrefixList);
    }

    [Fact]
    public void None_turns_private_conversations_off()
    {
        var loader = new SettingsLoader(Configuration(new() { ["ROOM_PRIVATE_PREFIXES"] = "none" }), Environment("Development"));

        Assert.Empty(loader.Load<RealtimeOptions>().RoomPrivatePrefixList);
    }

    [Fact]
    public void Valid_settings_are_registered_as_options()
    {
        var loader = new SettingsLoader(Configuration(new() { ["WS_MAX_CONNECTIONS"] = "5000" }), Environment("Development"));
        loader.Load<SocketOptions>();
        var services = new ServiceCollection();

        loader.Register(services);

        Assert.Equal(5000, services.BuildServiceProvider().GetRequiredService<IOptions<SocketOptions>>().Value.MaxConnections);
    }

    [Fact]
    public void Registering_invalid_settings_throws_with_every_problem()
    {
        var loader = new SettingsLoader(Configuration(new() { ["WS_MAX_CONNECTIONS"] = "abc" }), Environment("Development"));
        loader.Load<SocketOptions>();

        var error = Assert.Throws<InvalidSettingsException>(() => loader.Register(new ServiceCollection()));
        Assert.Contains(error.Problems, p => p.StartsWith("WS_MAX_CONNECTIONS:", StringComparison.Ordinal));
    }

    private static SettingsErrors Load(Dictionary<string, string?> values, string environment)
    {
        values.TryAdd("JWT_SECRET", GoodSecret);
        values.TryAdd("MAIL_PICKUP_DIR", "mail-pickup");
        return LoadWithoutDefaults(values, environment);
    }

    private static SettingsErrors LoadWithoutDefaults(Dictionary<string, string?> values, string environment)
    {
        var loader = new SettingsLoader(Configuration(values), Environment(environment));
        CoreSettings.Load(loader);
        loader.Load<RealtimeOptions>();
        loader.Load<SocketOptions>();
        loader.Load<AuthOptions>();
        loader.Load<PagesOptions>();
        return loader.Errors;
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static HostingEnvironment Environment(string name) => new() { EnvironmentName = name };
}
