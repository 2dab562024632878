using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WeDrawOS.Configuration;
using WeDrawOS.Grains.Caching;
using WeDrawOS.Grains.Hosting;

namespace WeDrawOS.Grains.Bridge;

public static class BridgeServiceCollectionExtensions
{
    /// <summary>Runs the Redis → WebSocket bridge in a process that hosts a silo (the grains do the delivering).</summary>
    public static IServiceCollection AddWeDrawOSRedisBridge(this IServiceCollection services, CoreSettings settings)
    {
        var channels = settings.Cache.BridgeChannelList;
        if (channels.Count == 0)
        {
            return services;
        }

        services.AddSingleton(sp => new BridgeLeadership(
            sp.GetRequiredService<RedisConnection>(),
            settings.Redis.KeyPrefix + "bridge:leader:" + settings.Cluster.ServiceId,
            alwaysLeader: settings.Cluster.Mode == ClusterMode.Embedded,
            sp.GetRequiredService<ILogger<BridgeLeadership>>()));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<RedisRealtimeBridge>(sp, channels, new BridgeSignature(settings.Cache.BridgeSecret)));
        services.AddHostedService(sp => sp.GetRequiredService<RedisRealtimeBridge>());
        return services;
    }
}
