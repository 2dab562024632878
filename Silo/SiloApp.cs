using Orleans.Hosting;
using WeDrawOS.Configuration;
using WeDrawOS.Grains.Hosting;
using WeDrawOS.Grains.Hosting.Security;
using WeDrawOS.Grains.Hosting.ServiceManagement;

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
        var kubernetes = settings.Load<KubernetesSettings>();
        core.Security.RequireApiKeyOutsideDevelopment(settings.Errors, builder.Environment);
        settings.Register(builder.Services);

        builder.AddWeDrawOSCore(core, ProcessRole.Silo);
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
