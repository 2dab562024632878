namespace WeDrawOS.Tests.Infrastructure;

/// <summary>
/// The Redis most tests share: the one scripts/test.sh started (<c>WEDRAWOS_TEST_REDIS=host:port</c>), or a
/// private one when the tests run on their own. Tests isolate themselves with their own cluster and key ids.
/// </summary>
public sealed class SharedRedis : IAsyncLifetime
{
    private RedisServer? _own;

    public string Host { get; private set; } = "127.0.0.1";

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable("WEDRAWOS_TEST_REDIS");
        if (!string.IsNullOrEmpty(given))
        {
            var parts = given.Split(':');
            Host = parts[0];
            Port = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            await RedisServer.WaitUntilAnswersAsync(Host, Port, TimeSpan.FromSeconds(10));
            return;
        }

        _own = await RedisServer.StartAsync();
        Host = _own.Host;
        Port = _own.Port;
    }

    public async Task DisposeAsync()
    {
        if (_own is not null)
        {
            await _own.DisposeAsync();
        }
    }
}
