using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using WeDrawOS.Configuration;
using WeDrawOS.Hosting;

namespace WeDrawOS.Tests.Email;

/// <summary>The e-mail and outbox variables are checked at start, each bad value named.</summary>
public sealed class EmailSettingsTests
{
    [Theory]
    [InlineData("MAIL_TIMEOUT_MS", "5")]
    [InlineData("MAIL_POOL_SIZE", "0")]
    [InlineData("MAIL_POOL_SIZE", "many")]
    [InlineData("MAIL_TEMPLATE_DIR", "/no/such/folder/for/templates")]
    [InlineData("MAIL_LINK_BASE_URL", "app.example.com")]
    [InlineData("MAIL_LINK_BASE_URL", "ftp://app.example.com")]
    [InlineData("MAIL_RESET_PATH", "reset")]
    [InlineData("MAIL_ACTIVATION_PATH", "/activate?x=1")]
    [InlineData("MAIL_FROM", "WeDrawOS <no reply@example.com>")]
    [InlineData("MAIL_CA_FILE", "/no/such/ca.pem")]
    [InlineData("NOTIFY_MAX_ATTEMPTS", "0")]
    [InlineData("NOTIFY_RETRY_BASE_MS", "fast")]
    [InlineData("NOTIFY_RETRY_MAX_MS", "20")]
    [InlineData("NOTIFY_REMINDER_PERIOD_SECONDS", "0")]
    [InlineData("NOTIFY_HISTORY_LIMIT", "0")]
    [InlineData("NOTIFY_BATCH_CONCURRENCY", "100000")]
    public void Bad_value_is_reported_with_the_variable_name(string variable, string value)
    {
        var loader = new SettingsLoader(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [variable] = value }).Build(),
            new HostingEnvironment { EnvironmentName = "Development" });

        CoreSettings.Load(loader);

        var line = Assert.Single(loader.Errors.Lines);
        Assert.StartsWith(variable + ":", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_send_in_pickup_mode_with_exponential_back_off()
    {
        var loader = new SettingsLoader(new ConfigurationBuilder().Build(), new HostingEnvironment { EnvironmentName = "Development" });

        var core = CoreSettings.Load(loader);

        Assert.False(loader.Errors.Any);
        Assert.True(core.Mail.PickupMode);
        Assert.Equal((587, 4, 15_000), (core.Mail.Port, core.Mail.PoolSize, core.Mail.TimeoutMs));
        var notify = core.Notifications;
        Assert.Equal(TimeSpan.FromSeconds(30), notify.RetryDelay(1, null));
        Assert.Equal(TimeSpan.FromSeconds(60), notify.RetryDelay(2, null));
        Assert.Equal(TimeSpan.FromSeconds(120), notify.RetryDelay(3, null));
        Assert.Equal(TimeSpan.FromHours(1), notify.RetryDelay(40, null));
        Assert.Equal(TimeSpan.FromMinutes(5), notify.RetryDelay(1, TimeSpan.FromMinutes(5)));
    }
}
