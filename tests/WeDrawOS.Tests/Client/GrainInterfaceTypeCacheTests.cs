using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Metadata;
using Orleans.Runtime;
using WeDrawOS.Client;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Grains.Interfaces.Users;

namespace WeDrawOS.Tests.Client;

/// <summary>
/// Silos and clients work out each grain interface's Orleans type once (<c>CacheGrainInterfaceTypes</c>) instead of on
/// every <c>GetGrain</c>; the answers must be the ones Orleans gives without the cache, or calls would reach no grain.
/// (Every cluster and socket test calls grains through the cache too.)
/// </summary>
public sealed class GrainInterfaceTypeCacheTests
{
    [GrainInterfaceType("wedrawos-test-named")]
    public interface INamedByAttributeGrain : IGrainWithStringKey;

    [Fact]
    public void The_cache_replaces_Orleans_attribute_provider_and_answers_as_Orleans_does()
    {
        using var cached = ClientServices(cache: true);
        using var plain = ClientServices(cache: false);

        Assert.Equal("CachedGrainInterfaceTypes", Assert.Single(cached.GetServices<IGrainInterfaceTypeProvider>()).GetType().Name);
        var withCache = cached.GetRequiredService<GrainInterfaceTypeResolver>();
        var without = plain.GetRequiredService<GrainInterfaceTypeResolver>();
        foreach (var type in new[] { typeof(IRoomGrain), typeof(IUserGrain), typeof(IManagementGrain), typeof(INamedByAttributeGrain), typeof(IRoomGrain) })
        {
            Assert.Equal(without.GetGrainInterfaceType(type), withCache.GetGrainInterfaceType(type));
        }

        Assert.Equal("wedrawos-test-named", withCache.GetGrainInterfaceType(typeof(INamedByAttributeGrain)).ToString());
    }

    private static ServiceProvider ClientServices(bool cache) =>
        new ServiceCollection().AddOrleansClient(client =>
        {
            client.UseLocalhostClustering();
            if (cache)
            {
                client.Services.CacheGrainInterfaceTypes();
                client.Services.CacheGrainInterfaceTypes();
            }
        }).BuildServiceProvider();
}
