using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using WeDrawOS.Tests.Infrastructure;

[assembly: HostingStartup(typeof(GrainCallCounterStartup))]

namespace WeDrawOS.Tests.Infrastructure;

/// <summary>
/// The test assembly's hosting startup: a host whose settings name this assembly in <c>hostingStartupAssemblies</c>
/// (<see cref="GrainCallCounter.Settings"/>) gets one <see cref="GrainCallCounter"/>, as a service and as a call filter.
/// </summary>
public sealed class GrainCallCounterStartup : IHostingStartup
{
    public void Configure(IWebHostBuilder builder) =>
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<GrainCallCounter>();
            services.AddSingleton<IIncomingGrainCallFilter>(sp => sp.GetRequiredService<GrainCallCounter>());
        });
}
