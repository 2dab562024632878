using Orleans.Hosting;
using WeDrawOS.Configuration;
using WeDrawOS.Grains;
using WeDrawOS.Grains.Realtime;
using WeDrawOS.Hosting;
using WeDrawOS.Hosting.Security;
using WeDrawOS.Hosting.ServiceManagement;

namespace WeDrawOS.Silo;

/// <summary>Builds a silo process: grains, plus health, status and the dashboard on its admin HTTP port.</summary>
public static class SiloApp
{
    /// <exception cref="InvalidSettingsException">when a configuration value is invalid.</exception>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var settings = new SettingsLoader(builder.Configuration, builder.Environment);
        var core = CoreSettings.Load(settings);
        settings.Load<RealtimeOptions>();
        var kubernetes = settings.Load<KubernetesSettings>();
        core.Security.RequireApiKeyOutsideDevelopment(settings.Errors, builder.Environment);
        settings.Register(builder.Services);

        builder.AddWeDrawOSCore(core, ProcessRole.Silo);
        builder.Services.AddWeDrawOSGrains();
        if (kubernetes.Enabled)
        {
            builder.Services.UseKubernetesHosting();
        }

        var app = builder.Build();
        app.UseAllowedHosts();
        app.UseWeDrawOSAuthentication();
        app.MapWeDrawOSOperations();
        return app;
    }
}
