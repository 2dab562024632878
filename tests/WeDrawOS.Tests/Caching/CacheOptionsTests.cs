using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using WeDrawOS.Configuration;
using WeDrawOS.Services.Caching;

namespace WeDrawOS.Tests.Caching;

public sealed class CacheOptionsTests
{
    [Theory]
    [InlineData("CACHE_FALLBACK_MAX_ENTRIES", "0")]
    [InlineData("CACHE_FALLBACK_MAX_BYTES", "lots")]
    [InlineData("CACHE_MAX_KEY_BYTES", "-1")]
    [InlineData("CACHE_MAX_VALUE_BYTES", "0")]
    [InlineData("CACHE_PROBE_INTERVAL_MS", "10000")]
    [InlineData("CACHE_REPLAY_OUTAGE_WRITES", "sometimes")]
    [InlineData("CACHE_BRIDGE_CHANNELS", "notifications,news*")]
    public void A_bad_cache_value_is_reported_with_the_variable_name(string variable, string value)
    {
        var errors = Load(new() { [variable] = value });

        var line = Assert.Single(errors.Lines);
        Assert.StartsWith(variable + ":", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_limit_above_the_fallback_size_is_refused()
    {
        var errors = Load(new() { ["CACHE_MAX_VALUE_BYTES"] = "2000000", ["CACHE_FALLBACK_MAX_BYTES"] = "1000000" });

        Assert.StartsWith("CACHE_MAX_VALUE_BYTES:", Assert.Single(errors.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_valid_and_bridge_the_notifications_channel()
    {
        var loader = new SettingsLoader(new ConfigurationBuilder().Build(), new HostingEnvironment { EnvironmentName = "Production" });

        var options = loader.Load<CacheOptions>();

        Assert.False(loader.Errors.Any);
        Assert.Equal(["notifications"], options.BridgeChannelList);
        Assert.True(options.ReplayOutageWrites);
    }

    [Fact]
    public void Bridge_channels_are_a_comma_separated_list()
    {
        var loader = new SettingsLoader(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["CACHE_BRIDGE_CHANNELS"] = " notifications , orders " }).Build(),
            new HostingEnvironment { EnvironmentName = "Production" });

        Assert.Equal(["notifications", "orders"], loader.Load<CacheOptions>().BridgeChannelList);
    }

    private static SettingsErrors Load(Dictionary<string, string?> values)
    {
        var loader = new SettingsLoader(
            new ConfigurationBuilder().AddInMemoryCollection(values).Build(),
            new HostingEnvironment { EnvironmentName = "Production" });
        loader.Load<CacheOptions>();
        return loader.Errors;
    }
}
