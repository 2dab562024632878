using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Serialization;
using Orleans.Storage;
using WeDrawOS.Grains.Interfaces.Streams;

namespace WeDrawOS.Grains.Hosting;

/// <summary>The one place that decides clustering, storage, reminders, streams and the dashboard, for silos and clients alike.</summary>
public static class OrleansHostingExtensions
{
    /// <summary>Configures a silo for the mode in <paramref name="hosting"/>: membership, state, streams and the dashboard.</summary>
    public static ISiloBuilder UseWeDrawOSSilo(this ISiloBuilder silo, HostingOptions hosting, RedisOptions redis, FailoverOptions failover)
    {
        if (hosting.Mode == ClusterMode.Embedded)
        {
            silo.UseLocalhostClustering(hosting.SiloPort, hosting.GatewayPort, null, hosting.ServiceId, hosting.ClusterId);
        }
        else
        {
            silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = hosting.ClusterId;
                    o.ServiceId = hosting.ServiceId;
                })
                .ConfigureEndpoints(IPAddress.Parse(hosting.AdvertisedIp), hosting.SiloPort, hosting.GatewayPort)
                .UseRedisClustering(o => o.ConfigurationOptions = redis.ToConfigurationOptions("wedrawos-membership"))
                .Configure<ClusterMembershipOptions>(o =>
                {
                    // A killed silo refuses connections at once, but it is only declared dead after this many probe
                    // periods; until then the directory still sends its grains' calls there (they are rejected).
                    o.ProbeTimeout = failover.ProbeTimeout;
                    o.NumMissedProbesLimit = failover.MissedProbesLimit;
                });
        }

        silo.AddWeDrawOSState(hosting.Mode, redis).AddWeDrawOSStreams();

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
    /// with their state when a silo dies. The default storage (outboxes, verification codes, notification index) and <see cref="StreamNames.RealtimeStorage"/>
    /// (user and room grains) use Orleans' binary serializer instead of the default JSON, because their state is rewritten on
    /// every message and JSON made each write cost milliseconds (measured: docs/realtime.md, docs/performance.md). The
    /// stream pub/sub store keeps Orleans' own default. Embedded: in memory; cluster: Redis, each storage under its own key prefix.
    /// </summary>
    public static ISiloBuilder AddWeDrawOSState(this ISiloBuilder silo, ClusterMode mode, RedisOptions redis)
    {
        if (mode == ClusterMode.Embedded)
        {
            foreach (var name in new[] { ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, StreamNames.RealtimeStorage })
            {
                silo.AddMemoryGrainStorage(name, b => b.Configure<Serializer>((o, s) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(s)));
            }

            return silo.AddMemoryGrainStorage(StreamNames.PubSubStore).UseInMemoryReminderService();
        }

        foreach (var (name, prefix) in new[] { (ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, "wedrawos-state"), (StreamNames.RealtimeStorage, "wedrawos-realtime") })
        {
            silo.Services.AddRedisGrainStorage(name, b => b.Configure<Serializer>((o, s) =>
            {
                o.ConfigurationOptions = redis.ToConfigurationOptions(prefix);
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(s);
            }));
        }

        return silo.AddRedisGrainStorage(StreamNames.PubSubStore, o => o.ConfigurationOptions = redis.ToConfigurationOptions("wedrawos-pubsub"))
            .UseRedisReminderService(o => o.ConfigurationOptions = redis.ToConfigurationOptions("wedrawos-reminders"));
    }

    /// <summary>The stream provider grains publish on and fronts subscribe to, with the queues and pulling period of <see cref="StreamSettings"/>.</summary>
    public static ISiloBuilder AddWeDrawOSStreams(this ISiloBuilder silo) => silo.AddMemoryStreams(StreamNames.Provider, streams =>
    {
        UseSettingsQueueCount(streams);
        streams.ConfigurePullingAgent(o => o.Configure<IOptions<StreamSettings>>((agent, s) => agent.GetQueueMsgsTimerPeriod = TimeSpan.FromMilliseconds(s.Value.PullPeriodMs)));
    });

    /// <summary>The client side of the stream provider: it must map streams to the same queues as the silos.</summary>
    public static IClientBuilder AddWeDrawOSStreams(this IClientBuilder client) => client.AddMemoryStreams(StreamNames.Provider, UseSettingsQueueCount);

    private static void UseSettingsQueueCount(INamedServiceConfigurator streams) =>
        streams.Configure<HashRingStreamQueueMapperOptions>(o => o.Configure<IOptions<StreamSettings>>((mapper, s) => mapper.TotalQueueCount = s.Value.QueueCount));

    /// <summary>Configures an Orleans client (a web front in cluster mode) to join the cluster through Redis membership.</summary>
    public static IClientBuilder UseWeDrawOSClient(this IClientBuilder client, HostingOptions hosting, RedisOptions redis, FailoverOptions failover)
    {
        client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = hosting.ClusterId;
                o.ServiceId = hosting.ServiceId;
            })
            .UseRedisClustering(o => o.ConfigurationOptions = redis.ToConfigurationOptions("wedrawos-client"))
            .Configure<ClientMessagingOptions>(o => o.ResponseTimeout = failover.FrontCallTimeout)
            .AddWeDrawOSStreams()
            .AddActivityPropagation();
        if (hosting.DashboardEnabled)
        {
            client.AddDashboard();
        }

        return client;
    }
}
