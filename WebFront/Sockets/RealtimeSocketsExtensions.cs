using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Hosting.ServiceManagement;

namespace WeDrawOS.WebFront.Sockets;

/// <summary>Wires the WebSocket front: services, the <c>websocket</c> health check, status fields and <c>/ws</c>.</summary>
public static class RealtimeSocketsExtensions
{
    public static IServiceCollection AddRealtimeSockets(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TokenExpiryWheel>();
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<FrontNode>();
        services.AddSingleton<SocketEndpoint>();
        services.AddHostedService<FrontLeaseService>();
        services.AddSingleton<IStatusSource, SocketsStatusSource>();
        services.AddSingleton<IStatusSource, ActiveRoomsStatusSource>();
        services.AddHealthChecks().AddCheck<WebSocketHealthCheck>("websocket", tags: [ServiceManager.ReadyTag]);
        return services;
    }

    /// <summary>
    /// Maps <c>/ws</c>. The server pings every <c>WS_PING_INTERVAL</c> and drops a socket whose pong does not come
    /// within another interval; on shutdown every socket is closed with 1001 before the server stops.
    /// </summary>
    public static WebApplication MapRealtimeSockets(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<SocketOptions>>().Value;
        var ping = TimeSpan.FromMilliseconds(options.PingIntervalMs);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = ping, KeepAliveTimeout = ping });

        var registry = app.Services.GetRequiredService<ConnectionRegistry>();
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            foreach (var connection in registry.All())
            {
                connection.Close(WebSocketCloseStatus.EndpointUnavailable, "server shutting down / 服务器正在关闭", flush: true);
            }
        });

        // The demo page (wwwroot/index.html) at "/": it takes its tokens from /api/dev/token, so it works in Development.
        app.UseDefaultFiles();
        app.UseStaticFiles();

        var endpoint = app.Services.GetRequiredService<SocketEndpoint>();
        app.Map("/ws", endpoint.HandleAsync);
        return app;
    }
}
