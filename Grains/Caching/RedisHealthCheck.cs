using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WeDrawOS.Grains.Caching;

/// <summary>
/// <c>redis</c> in <c>/health/ready</c>: degraded, not unhealthy, while Redis is away, because the cache
/// keeps serving from memory then.
/// </summary>
public sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(redis.IsConnected
            ? HealthCheckResult.Healthy($"connected to {redis.Options}")
            : HealthCheckResult.Degraded($"{redis.Options} unreachable; cache on memory fallback"));
}
