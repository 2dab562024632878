using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using WeDrawOS.Services.Caching;

namespace WeDrawOS.Services.Bridge;

/// <summary>
/// Decides which process forwards bridged messages. Every silo subscribes to the channels, but a message must
/// enter the grains once, so in cluster mode the silos hold a Redis lease (<c>SET NX PX</c>, renewed while held)
/// and only the holder forwards. A holder that dies loses the lease after <see cref="Lease"/>; another takes it.
/// In embedded mode the one process always leads.
/// </summary>
public sealed partial class BridgeLeadership(RedisConnection redis, string key, bool alwaysLeader, ILogger<BridgeLeadership> logger)
{
    /// <summary>How long a lease lasts without renewal.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    // Renews only a lease this process still holds, so it never extends another holder's.
    private const string RenewScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly bool _alwaysLeader = alwaysLeader;
    private volatile bool _leading = alwaysLeader;

    public bool IsLeader => _leading;

    /// <summary>Takes or renews the lease; called every third of <see cref="Lease"/>.</summary>
    public async Task RefreshAsync()
    {
        if (_alwaysLeader)
        {
            return;
        }

        var leading = false;
        try
        {
            if (redis.Multiplexer is { IsConnected: true } multiplexer)
            {
                var database = multiplexer.GetDatabase();
                leading = (_leading && (long)await database.ScriptEvaluateAsync(RenewScript, [key], [_owner, (long)Lease.TotalMilliseconds]) == 1)
                    || await database.StringSetAsync(key, _owner, Lease, When.NotExists);
            }
        }
        catch (RedisException)
        {
            // Without Redis no lease can be proven: stop forwarding until it returns.
        }

        if (leading != _leading)
        {
            _leading = leading;
            LogLeadership(leading ? "leads" : "no longer leads");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis bridge: this silo {Change} the forwarding of bridged messages")]
    private partial void LogLeadership(string change);
}
