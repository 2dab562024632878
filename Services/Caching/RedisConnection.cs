using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using WeDrawOS.Configuration;

namespace WeDrawOS.Services.Caching;

/// <summary>
/// The process's one Redis multiplexer. It is created at start without waiting for Redis and never
/// aborts on a failed connect: StackExchange.Redis keeps reconnecting in the background, and the cache's
/// probe decides whether to use it or the memory fallback.
/// </summary>
public sealed partial class RedisConnection(IOptions<RedisOptions> options, ILogger<RedisConnection> logger)
    : IHostedService, IAsyncDisposable
{
    private readonly TaskCompletionSource<IConnectionMultiplexer> _created = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IConnectionMultiplexer? _multiplexer;
    private int _lost;

    public RedisOptions Options { get; } = options.Value;

    /// <summary>The multiplexer once it has been created (it may still be disconnected).</summary>
    public IConnectionMultiplexer? Multiplexer => _multiplexer;

    /// <summary>Completes when the multiplexer exists, connected or not.</summary>
    public Task<IConnectionMultiplexer> Created => _created.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Connecting can take the whole connect timeout when Redis is away; do not hold up start-up for it.
        _ = Task.Run(ConnectAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer is not null)
        {
            await _multiplexer.DisposeAsync();
        }
    }

    private async Task ConnectAsync()
    {
        try
        {
            var configuration = Options.ToConfigurationOptions("wedrawos-cache");
            // The cache serves from memory while Redis is away: commands must fail at once rather than queue
            // for the command timeout, and reconnect attempts must stay frequent so Redis's return is noticed
            // within seconds even after a long outage (the default back-off grows to 10 s and more).
            configuration.BacklogPolicy = BacklogPolicy.FailFast;
            configuration.ReconnectRetryPolicy = new ExponentialRetry(250, 1000);
            var multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration);
            // Failures come once per connection (commands, subscriptions) and again for every reconnect attempt:
            // log the loss once and the recovery once.
            multiplexer.ConnectionFailed += (_, e) =>
            {
                if (Interlocked.Exchange(ref _lost, 1) == 0)
                {
                    LogConnectionLost(Options.ToString(), e.FailureType);
                }
            };
            multiplexer.ConnectionRestored += (_, _) =>
            {
                if (Interlocked.Exchange(ref _lost, 0) == 1)
                {
                    LogConnectionRestored(Options.ToString());
                }
            };
            _multiplexer = multiplexer;
            _created.TrySetResult(multiplexer);
            if (multiplexer.IsConnected)
            {
                LogConnected(Options.ToString());
            }
            else
            {
                LogUnreachable(Options.ToString());
            }
        }
        catch (Exception e) when (e is RedisException or ArgumentException)
        {
            LogUnusable(Options.ToString(), e.Message);
            _created.TrySetException(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis {Endpoint} connected")]
    private partial void LogConnected(string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis {Endpoint} unreachable at start; reconnecting in the background")]
    private partial void LogUnreachable(string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis {Endpoint} connection lost ({Failure})")]
    private partial void LogConnectionLost(string endpoint, ConnectionFailureType failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis {Endpoint} connection restored")]
    private partial void LogConnectionRestored(string endpoint);

    [LoggerMessage(Level = LogLevel.Error, Message = "Redis {Endpoint} configuration unusable: {Reason}")]
    private partial void LogUnusable(string endpoint, string reason);
}
