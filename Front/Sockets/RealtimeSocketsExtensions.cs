using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WeDrawOS.Hosting.ServiceManagement;
using WeDrawOS.Hosting.Telemetry;

namespace WeDrawOS.Front.Sockets;

/// <summary>Wires the WebSocket front: services, the <c>websocket</c> health check, status fields and <c>/ws</c>.</summary>
public static class RealtimeSocketsExtensions
{
    public static IServiceCollection AddRealtimeSockets(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TokenExpiryWheel>();
        // The registry reads missing messages through the front, which delivers into the registry: the front is resolved
        // when the first room or inbox feed is made, after both exist.
        services.AddSingleton(provider => new ConnectionRegistry(
            () => provider.GetRequiredService<FrontNode>(),
            provider.GetRequiredService<TimeProvider>(),
            SequencerTiming.Default,
            provider.GetRequiredService<ILogger<ConnectionRegistry>>()));
        services.AddSingleton<RealtimeMetrics>();
        foreach (var name in RealtimeMetrics.Unlabelled)
        {
            services.AddSingleton(new UnlabelledInstrument(RealtimeMetrics.MeterName, name));
        }

        services.AddSingleton<KeepAliveSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<KeepAliveSweeper>());
        services.AddSingleton<FrontNode>();
        services.AddSingleton<IClusterConnectionStatusObserver, GatewayLossWatch>();
        services.AddSingleton<UserJoinRates>();
        services.AddSingleton<SocketEndpoint>();
        services.AddHostedService<FrontLeaseService>();
        services.AddSingleton<IStatusSource, SocketsStatusSource>();
        services.AddSingleton<IStatusSource, ActiveRoomsStatusSource>();
        services.AddHealthChecks().AddCheck<WebSocketHealthCheck>("websocket", tags: [ServiceManager.ReadyTag]);
        return services;
    }

    /// <summary>
    /// Maps <c>/ws</c>. The server pings a socket it read nothing from for <c>WS_PING_INTERVAL</c> and drops one that
    /// does not answer within another interval (<see cref="KeepAliveSweeper"/>); on shutdown every socket is closed with
    /// 1001 before the server stops.
    /// </summary>
    public static WebApplication MapRealtimeSockets(this WebApplication app)
    {
        // The WebSocket's own keep-alive (a timer per socket) is off: the front-wide sweeper pings through the stream
        // the upgrade is wrapped in, which has to be in place before the WebSocket middleware picks the upgrade up.
        KeepAliveUpgradeFeature.UseKeepAliveUpgrade(app, app.Services.GetRequiredService<TimeProvider>());
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero, KeepAliveTimeout = Timeout.InfiniteTimeSpan });

        var registry = app.Services.GetRequiredService<ConnectionRegistry>();
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            foreach (var connection in registry.All())
            {
                connection.Close(WebSocketCloseStatus.EndpointUnavailable, "server shutting down / 服务器正在关闭", flush: true);
            }
        });

        // A branch of its own rather than an endpoint, ahead of authentication: the request lives as long as the socket,
        // and the per-request objects of ASP.NET Core's authentication (a service scope, the handlers, the ticket)
        // would live that long too, ~3 KB per idle socket. SocketEndpoint validates with TokenService instead,
        // whose parameters the bearer scheme shares.
        var endpoint = app.Services.GetRequiredService<SocketEndpoint>();
        ((IApplicationBuilder)app).Map("/ws", socket => socket.Run(endpoint.HandleAsync));
        return app;
    }
}
