using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Serialization;
using Orleans.Storage;
using WeDrawOS.Client;
using WeDrawOS.Configuration;
using WeDrawOS.Grains.Interfaces.Storage;
using WeDrawOS.Grains.Interfaces.Streams;

namespace WeDrawOS.Hosting;

/// <summary>
/// The one place that decides a silo's clustering, storage, reminders, streams and dashboard. Clients (fronts in cluster
/// mode, other services) are configured by <see cref="WeDrawOSClientExtensions.UseWeDrawOSClient"/>.
/// </summary>
public static class OrleansHostingExtensions
{
    /// <summary>Configures a silo for the mode in <paramref name="cluster"/>: membership, state, streams and the dashboard.</summary>
    public static ISiloBuilder UseWeDrawOSSilo(this ISiloBuilder silo, ClusterSettings cluster, HostingOptions hosting, RedisOptions redis, FailoverOptions failover)
    {
        if (cluster.Mode == ClusterMode.Embedded)
        {
            silo.UseLocalhostClustering(hosting.SiloPort, cluster.GatewayPort, null, cluster.ServiceId, cluster.ClusterId);
        }
        else
        {
            silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = cluster.ClusterId;
                    o.ServiceId = cluster.ServiceId;
                })
                .ConfigureEndpoints(IPAddress.Parse(hosting.AdvertisedIp), hosting.SiloPort, cluster.GatewayPort)
                .UseRedisClustering(o => o.ConfigurationOptions = redis.ToConfigurationOptions("wedrawos-membership"))
                .Configure<ClusterMembershipOptions>(o =>
                {
                    // A killed silo refuses connections at once, but it is only declared dead after this many probe
                    // periods; until then the directory still sends its grains' calls there (they are rejected).
                    o.ProbeTimeout = failover.ProbeTimeout;
                    o.NumMissedProbesLimit = failover.MissedProbesLimit;
                });
        }

        silo.Services.AllowRedisExceptionsOnTheWire().CacheGrainInterfaceTypes();
        silo.AddWeDrawOSState(cluster.Mode, redis).AddWeDrawOSStreams();

        // The trace context of a call (an HTTP request's, a socket frame's) travels with it into the grain and its storage writes.
        silo.AddActivityPropagation();
        if (hosting.DashboardEnabled)
        {
            silo.AddDashboard();
        }

        return silo;
    }

    /// <summary>
    /// Grain state and reminders: in memory when embedded, in Redis in cluster mode so that grains re-activate elsewhere
    /// with their state when a silo dies. The default storage (outboxes, verification codes, notification index) and <see cref="StorageNames.Realtime"/>
    /// (user and room grains) use Orleans' binary serializer instead of the default JSON, because their state is rewritten on
    /// every message and JSON made each write cost milliseconds (measured: docs/realtime.md, docs/performance.md). The
    /// stream pub/sub store keeps Orleans' own default. Embedded: in memory; cluster: Redis, each storage under its own key prefix.
    /// </summary>
    public static ISiloBuilder AddWeDrawOSState(this ISiloBuilder silo, ClusterMode mode, RedisOptions redis)
    {
        if (mode == ClusterMode.Embedded)
        {
            foreach (var name in new[] { ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, StorageNames.Realtime })
            {
                silo.AddMemoryGrainStorage(name, b => b.Configure<IServiceProvider>((o, services) => o.GrainStorageSerializer = StorageSerializer(services, name)));
            }

            return silo.AddMemoryGrainStorage(StorageNames.PubSubStore).UseInMemoryReminderService();
        }

        foreach (var (name, prefix) in new[] { (ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, "wedrawos-state"), (StorageNames.Realtime, "wedrawos-realtime") })
        {
            silo.Services.AddRedisGrainStorage(name, b => b.Configure<IServiceProvider>((o, services) =>
            {
                o.ConfigurationOptions = redis.ToConfigurationOptions(prefix);
                o.GrainStorageSerializer = StorageSerializer(services, name);
            }));
        }

        return silo.AddRedisGrainStorage(StorageNames.PubSubStore, o => o.ConfigurationOptions = redis.ToConfigurationOptions("wedrawos-pubsub"))
            .UseRedisReminderService(o => o.ConfigurationOptions = redis.ToConfigurationOptions("wedrawos-reminders"));
    }

    /// <summary>
    /// The serializer of one storage: the one the grains registered for it under its name (a keyed
    /// <see cref="IGrainStorageSerializer"/>, e.g. the realtime states' message logs), else Orleans' binary serializer.
    /// </summary>
    private static IGrainStorageSerializer StorageSerializer(IServiceProvider services, string storageName) =>
        services.GetKeyedService<IGrainStorageSerializer>(storageName) ?? new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());

    /// <summary>
    /// The stream provider grains publish on and fronts subscribe to, with the queues of <see cref="ClusterSettings"/>
    /// (shared with clients) and the pulling period of <see cref="StreamSettings"/>.
    /// </summary>
    public static ISiloBuilder AddWeDrawOSStreams(this ISiloBuilder silo) => silo.AddMemoryStreams(StreamNames.Provider, streams =>
    {
        WeDrawOSClientExtensions.UseClusterQueueCount(streams);
        streams.ConfigurePullingAgent(o => o.Configure<IOptions<StreamSettings>>((agent, s) => agent.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(s.Value.PullPeriodMs)));
    });
}
