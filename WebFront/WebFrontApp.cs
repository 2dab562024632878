using WeDrawOS.Configuration;
using WeDrawOS.Front.Api;
using WeDrawOS.Front.Auth;
using WeDrawOS.Front.Sockets;
using WeDrawOS.Grains;
using WeDrawOS.Grains.Realtime;
using WeDrawOS.Hosting;
using WeDrawOS.Hosting.Security;
using WeDrawOS.Hosting.ServiceManagement;
using WeDrawOS.WebFront.Pages;

namespace WeDrawOS.WebFront;

/// <summary>Builds the web front: settings first (a bad value stops here), then Orleans, then the front's own services.</summary>
public static class WebFrontApp
{
    /// <exception cref="InvalidSettingsException">when a configuration value is invalid.</exception>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, EnvironmentName = DefaultEnvironment.Resolve(args) });
        var settings = new SettingsLoader(builder.Configuration, builder.Environment);
        var core = CoreSettings.Load(settings);

        // Read only by the grains; loaded in cluster mode too, so a bad value stops every process as before.
        settings.Load<RealtimeOptions>();
        settings.Load<SocketOptions>();
        settings.Load<WebSocketOriginOptions>();
        settings.Load<AuthOptions>();
        core.Security.RequireApiKeyOutsideDevelopment(settings.Errors, builder.Environment);
        settings.Load<PagesOptions>();
        settings.Register(builder.Services);

        builder.AddWeDrawOSCore(core, ProcessRole.Front);
        if (core.Hosting.HostsGrains(ProcessRole.Front, core.Cluster.Mode))
        {
            builder.Services.AddWeDrawOSGrains();
        }

        builder.Services.AddApiErrorHandling();
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddWeDrawOSBearer();
        builder.Services.AddHostedService<SecurityStartupWarnings>();
        builder.Services.AddRealtimeSockets();

        var app = builder.Build();
        app.UseApiErrorHandling();
        app.UseAllowedHosts();
        app.MapRealtimeSockets();
        app.UseWeDrawOSAuthentication();
        app.MapWeDrawOSOperations();
        app.MapDevToken(app.Environment);
        app.UsePages();
        app.MapUsersApi();
        app.MapRoomsApi();
        app.MapBroadcastApi();
        app.MapEmailEndpoints();
        app.MapNotificationsEndpoints();
        app.MapSmsEndpoints();
        app.MapVerificationEndpoints();
        return app;
    }
}
