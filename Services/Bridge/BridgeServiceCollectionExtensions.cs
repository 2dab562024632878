using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WeDrawOS.Configuration;
using WeDrawOS.Services.Caching;

namespace WeDrawOS.Services.Bridge;

public static class BridgeServiceCollectionExtensions
{
    /// <summary>Runs the Redis → WebSocket bridge in a process that hosts a silo (the grains do the delivering).</summary>
    public static IServiceCollection AddWeDrawOSRedisBridge(this IServiceCollection services, ClusterSettings cluster, RedisOptions redis, CacheOptions cache)
    {
        var channels = cache.BridgeChannelList;
        if (channels.Count == 0)
        {
            return services;
        }

        services.AddSingleton(sp => new BridgeLeadership(
            sp.GetRequiredService<RedisConnection>(),
            redis.KeyPrefix + "bridge:leader:" + cluster.ServiceId,
            alwaysLeader: cluster.Mode == ClusterMode.Embedded,
            sp.GetRequiredService<ILogger<BridgeLeadership>>()));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<RedisRealtimeBridge>(sp, channels, new BridgeSignature(cache.BridgeSecret)));
        services.AddHostedService(sp => sp.GetRequiredService<RedisRealtimeBridge>());
        return services;
    }
}
