using Microsoft.Extensions.DependencyInjection;

namespace WeDrawOS.Services.Caching;

/// <summary>Registers the cache service; silos and fronts call it through <c>AddWeDrawOSCore</c>.</summary>
public static class CacheServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ICacheService"/> as a singleton over <see cref="RedisConnection"/> (registered here too when
    /// missing), both started as hosted services in that order. Expects <c>IOptions&lt;RedisOptions&gt;</c> and
    /// <c>IOptions&lt;CacheOptions&gt;</c> to be registered (the settings loader does it).
    /// </summary>
    public static IServiceCollection AddWeDrawOSCache(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(RedisConnection)))
        {
            services.AddSingleton<RedisConnection>();
            services.AddHostedService(sp => sp.GetRequiredService<RedisConnection>());
        }

        services.AddMetrics();
        services.AddSingleton<CacheMetrics>();
        services.AddSingleton<CacheService>();
        services.AddSingleton<ICacheService>(sp => sp.GetRequiredService<CacheService>());
        services.AddHostedService(sp => sp.GetRequiredService<CacheService>());
        return services;
    }
}
