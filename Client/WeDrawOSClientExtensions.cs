using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using WeDrawOS.Configuration;
using WeDrawOS.Grains.Interfaces.Streams;

namespace WeDrawOS.Client;

/// <summary>
/// Joins a .NET service to the WeDrawOS cluster as an Orleans client, configured from the same environment variables
/// as the silos and fronts. Web fronts in cluster mode use <see cref="UseWeDrawOSClient"/> too: there is one client
/// configuration.
/// </summary>
public static class WeDrawOSClientExtensions
{
    /// <summary>
    /// Adds the Orleans client and <see cref="IWeDrawOSClient"/>, reading <c>CLUSTER_MODE</c>, <c>CLUSTER_ID</c>,
    /// <c>SERVICE_ID</c>, <c>GATEWAY_PORT</c>, <c>FRONT_CALL_TIMEOUT_MS</c>, <c>STREAM_QUEUE_COUNT</c>, <c>REDIS_*</c>
    /// and <c>ORLEANS_TLS_CERT_PATH</c> / <c>ORLEANS_TLS_CERT_PASSWORD</c> from <paramref name="configuration"/>.
    /// </summary>
    /// <param name="configure">More client configuration (for example transport security), applied last.</param>
    /// <exception cref="InvalidSettingsException">
    /// when a value is invalid; every problem is listed, each naming its variable (<see cref="InvalidSettingsException.Report"/>
    /// prints them and returns exit code 2).
    /// </exception>
    public static IServiceCollection AddWeDrawOSClient(
        this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, Action<IClientBuilder>? configure = null)
    {
        var settings = new SettingsLoader(configuration, environment);
        var cluster = settings.Load<ClusterSettings>();
        var redis = settings.Load<RedisOptions>();
        var tls = settings.Load<ClusterTlsOptions>();
        settings.Register(services);

        services.AddOrleansClient(client =>
        {
            client.UseWeDrawOSClient(cluster, redis).UseWeDrawOSTls(tls);
            configure?.Invoke(client);
        });
        services.AddSingleton<IWeDrawOSClient, WeDrawOSClient>();
        return services;
    }

    /// <summary>As <see cref="AddWeDrawOSClient(IServiceCollection, IConfiguration, IHostEnvironment, Action{IClientBuilder}?)"/>, with the builder's configuration and environment.</summary>
    /// <exception cref="InvalidSettingsException">when a value is invalid.</exception>
    public static TBuilder AddWeDrawOSClient<TBuilder>(this TBuilder builder, Action<IClientBuilder>? configure = null)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddWeDrawOSClient(builder.Configuration, builder.Environment, configure);
        return builder;
    }

    /// <summary>
    /// The one Orleans client configuration: cluster and service ids, membership (the co-hosted silo's gateway on
    /// localhost in embedded mode, Redis in cluster mode), the call timeout, the stream provider mapped to the silos'
    /// queues, and trace propagation. Expects <c>IOptions&lt;ClusterSettings&gt;</c> to be registered (the settings loader does it).
    /// </summary>
    public static IClientBuilder UseWeDrawOSClient(this IClientBuilder client, ClusterSettings cluster, RedisOptions redis)
    {
        if (cluster.Mode == ClusterMode.Embedded)
        {
            client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
        }
        else
        {
            client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = cluster.ClusterId;
                    o.ServiceId = cluster.ServiceId;
                })
                .UseRedisClustering(o => o.ConfigurationOptions = redis.ToConfigurationOptions("wedrawos-client"));
        }

        client.Services.AllowRedisExceptionsOnTheWire().CacheGrainInterfaceTypes();

        // The caller's trace context (an HTTP request's, a socket frame's) travels with its grain calls.
        return client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = cluster.CallTimeout)
            .AddWeDrawOSStreams()
            .AddActivityPropagation();
    }

    /// <summary>Works out each grain interface's Orleans type once instead of on every <c>GetGrain</c> (<see cref="CachedGrainInterfaceTypes"/>).</summary>
    public static IServiceCollection CacheGrainInterfaceTypes(this IServiceCollection services) => CachedGrainInterfaceTypes.Replace(services);

    /// <summary>
    /// Lets the exceptions of the Redis client and of Orleans' Redis clustering cross the wire with Orleans' exception codec
    /// (it serializes only namespaces it is told about), on silos and clients alike. Without it a grain call that failed
    /// because Redis is gone (the membership table behind <c>IManagementGrain.GetHosts</c>, say) reached the caller as
    /// <c>CodecNotFoundException</c> for <c>StackExchange.Redis.RedisConnectionException</c>, hiding what was wrong.
    /// </summary>
    public static IServiceCollection AllowRedisExceptionsOnTheWire(this IServiceCollection services) => services.Configure<ExceptionSerializationOptions>(o =>
    {
        o.SupportedNamespacePrefixes.Add("StackExchange.Redis");
        o.SupportedNamespacePrefixes.Add("Orleans.Clustering.Redis");
    });

    /// <summary>The client side of the stream provider the grains publish on, mapped to the silos' queues.</summary>
    public static IClientBuilder AddWeDrawOSStreams(this IClientBuilder client) => client.AddMemoryStreams(StreamNames.Provider, UseClusterQueueCount);

    /// <summary>
    /// Maps streams to <see cref="ClusterSettings.StreamQueueCount"/> queues, as every silo and client of the cluster
    /// must (a stream's queue is chosen by hashing over the queue count).
    /// </summary>
    public static void UseClusterQueueCount(INamedServiceConfigurator streams) =>
        streams.Configure<HashRingStreamQueueMapperOptions>(o => o.Configure<IOptions<ClusterSettings>>((mapper, s) => mapper.TotalQueueCount = s.Value.StreamQueueCount));
}
