using Orleans.Persistence.Redis;
using Orleans.Storage;
using StackExchange.Redis;

namespace WeDrawOS.Front.Sockets;

/// <summary>
/// Which failures of a grain call mean "the cluster or its storage is not reachable now, try again" (<c>unavailable</c>)
/// rather than a fault in the server (<c>internal</c>): timeouts, silos gone, and Redis (the grains' storage, or the
/// membership behind them) not answering. The storage's failure arrives wrapped by Orleans, so the causes count too.
/// </summary>
internal static class ClusterFailures
{
    public static bool IsUnavailable(Exception e)
    {
        for (var cause = e; cause is not null; cause = cause.InnerException)
        {
            if (IsUnavailableItself(cause))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsUnavailableItself(Exception e) => e is TimeoutException
        or SiloUnavailableException
        or OrleansMessageRejectionException
        or Orleans.Runtime.Messaging.ConnectionFailedException
        or RedisStorageException
        or RedisConnectionException
        or RedisTimeoutException
        or InconsistentStateException;
}
