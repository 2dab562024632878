using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Runtime;

namespace WeDrawOS.Client;

/// <summary>
/// Orleans 10 works out a grain interface's <see cref="GrainInterfaceType"/> again on every <c>GetGrain</c>: it reads the
/// interface's custom attributes, and for ours (which carry none) formats its name by convention. A front calls
/// <c>GetGrain</c> for every frame it forwards, and that was 4.7 % of a front's CPU in the hot-room profile
/// (docs/performance.md). This provider answers what Orleans would answer, worked out once per interface type. The
/// cache holds one entry per grain interface in the process, so no caller can grow it.
/// </summary>
internal sealed class CachedGrainInterfaceTypes(IServiceProvider services) : IGrainInterfaceTypeProvider
{
    private readonly AttributeGrainInterfaceTypeProvider _attributes = new(services);
    private readonly ConcurrentDictionary<Type, GrainInterfaceType> _known = new();

    public bool TryGetGrainInterfaceType(Type type, out GrainInterfaceType grainInterfaceType)
    {
        if (!_known.TryGetValue(type, out grainInterfaceType))
        {
            // The attribute when there is one, else Orleans' naming convention: the order Orleans' resolver uses.
            grainInterfaceType = _attributes.TryGetGrainInterfaceType(type, out var attributed)
                ? attributed
                : services.GetRequiredService<GrainInterfaceTypeResolver>().GetGrainInterfaceTypeByConvention(type);
            _known.TryAdd(type, grainInterfaceType);
        }

        return true;
    }

    /// <summary>
    /// Puts this provider in place of Orleans' attribute provider. Orleans registers its defaults when a silo or client
    /// builder is created, so this runs in the builder's configuration, after them.
    /// </summary>
    public static IServiceCollection Replace(IServiceCollection services)
    {
        if (services.Any(d => d.ImplementationType == typeof(CachedGrainInterfaceTypes)))
        {
            return services;
        }

        var attributes = services.Where(d => d.ServiceType == typeof(IGrainInterfaceTypeProvider) && d.ImplementationType == typeof(AttributeGrainInterfaceTypeProvider)).ToList();
        foreach (var descriptor in attributes)
        {
            services.Remove(descriptor);
        }

        return services.AddSingleton<IGrainInterfaceTypeProvider, CachedGrainInterfaceTypes>();
    }
}
