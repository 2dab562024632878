using Microsoft.Extensions.Diagnostics.HealthChecks;
using WeDrawOS.Services.Caching;

namespace WeDrawOS.Hosting.Health;

/// <summary>
/// <c>redis</c> in <c>/health/ready</c>, from the cache service's real mode: degraded, not unhealthy, while the
/// cache serves from its memory fallback, because callers are still served then.
/// </summary>
public sealed class RedisHealthCheck(CacheService cache) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(cache.Mode == CacheMode.Redis
            ? HealthCheckResult.Healthy($"cache on Redis {cache.Endpoint}")
            : HealthCheckResult.Degraded(cache.Starting
                ? $"connecting to Redis {cache.Endpoint}"
                : $"Redis {cache.Endpoint} unreachable since {cache.ModeSince:HH:mm:ss} UTC; cache on memory fallback ({cache.FallbackEntries} entries)"));
}
