using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using WeDrawOS.WebFront.Api;
using WeDrawOS.WebFront.Auth;

namespace WeDrawOS.WebFront.Sockets;

/// <summary>
/// <c>GET /ws</c>: checks the token and the front's capacity before the upgrade (401 / 503 problem+json), then
/// registers the socket with its user grain, sends <c>welcome</c> and serves frames until either side closes.
/// </summary>
internal sealed partial class SocketEndpoint(
    FrontNode front,
    ConnectionRegistry registry,
    TokenService tokens,
    TokenExpiryWheel expiry,
    RealtimeMetrics metrics,
    IOptions<SocketOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<SocketEndpoint> logger)
{
    private const int RetryAfterSeconds = 5;

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            metrics.UpgradeRefused(UpgradeRefusals.NotWebSocket);
            await ApiProblems.BadRequest("this endpoint needs a WebSocket upgrade / 此端点需要 WebSocket 升级").ExecuteAsync(context);
            return;
        }

        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            metrics.UpgradeRefused(UpgradeRefusals.ShuttingDown);
            await Unavailable(context, "the server is shutting down / 服务器正在关闭");
            return;
        }

        var token = context.Request.Query["access_token"].ToString();
        var (identity, error) = await tokens.ValidateAsync(string.IsNullOrEmpty(token) ? ApiAccessFilter.BearerToken(context.Request) : token);
        if (identity is null)
        {
            metrics.UpgradeRefused(UpgradeRefusals.Unauthorized);
            await ApiProblems.Unauthorized(error!).ExecuteAsync(context);
            return;
        }

        ForgetToken(context);
        if (!registry.TryReserve(options.Value.MaxConnections))
        {
            metrics.UpgradeRefused(UpgradeRefusals.Capacity);
            await Unavailable(context, "this server holds its maximum number of sockets / 连接数已达上限");
            return;
        }

        try
        {
            // The front-wide sweeper keeps the socket alive through the wrapping stream; without it (no HTTP/1.1
            // upgrade feature) the WebSocket's own keep-alive does, with the same interval and timeout.
            var upgrade = context.Features.Get<IHttpUpgradeFeature>() as KeepAliveUpgradeFeature;
            var ping = options.Value.PingInterval;
            using var socket = await context.WebSockets.AcceptWebSocketAsync(upgrade is null
                ? new WebSocketAcceptContext { KeepAliveInterval = ping, KeepAliveTimeout = ping }
                : new WebSocketAcceptContext());
            await ServeAsync(socket, identity, upgrade?.Stream);
        }
        finally
        {
            registry.Release();
        }
    }

    private async Task ServeAsync(WebSocket socket, UserIdentity identity, KeepAliveStream? keepAlive)
    {
        var connection = new SocketConnection("c-" + Guid.NewGuid().ToString("N"), socket, identity, options.Value.SendQueueLimit, keepAlive, metrics);
        registry.Add(connection);
        expiry.Watch(connection);
        try
        {
            var connected = await front.ConnectAsync(identity.UserId, [connection.Id]);
            connection.Welcome(ServerFrames.Welcome(connection.Id, identity.UserId, options.Value.PingIntervalMs, connected.InboxSeq));
            // Each frame's span starts a trace of its own instead of joining the upgrade request's, which lasts as long as the socket.
            Activity.Current = null;
            var session = new SocketSession(connection, socket, front, registry, tokens, expiry, options.Value, metrics, logger);
            await session.ReceiveAsync(lifetime.ApplicationStopped);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away or the keep-alive found it dead: cleaned up below like a close.
        }
        catch (Exception e)
        {
            LogConnectFailed(logger, e);
            connection.Close(WebSocketCloseStatus.InternalServerError, "unavailable", flush: false);
        }
        finally
        {
            expiry.Forget(connection);
            connection.Close(WebSocketCloseStatus.NormalClosure, "bye", flush: false);
            await CleanUpAsync(connection);
            await connection.Closed;
        }
    }

    private async Task CleanUpAsync(SocketConnection connection)
    {
        try
        {
            var emptied = registry.Remove(connection);
            await Task.WhenAll(emptied.Select(front.UnsubscribeAsync).Append(front.User(connection.UserId).Disconnect(front.FrontId, connection.Id)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The front lease ends with the front; until then a connection left behind only keeps its user online.
            LogCleanUpFailed(logger, e);
        }
    }

    /// <summary>
    /// Drops the validated token from the request, which lives as long as the socket: it is a credential, and as the
    /// request target, the query string and the parsed query it was ~1.5 KB of strings per idle socket.
    /// </summary>
    private static void ForgetToken(HttpContext context)
    {
        if (context.Request.Query.ContainsKey("access_token"))
        {
            var request = context.Features.GetRequiredFeature<IHttpRequestFeature>();
            request.RawTarget = request.PathBase + request.Path;
            context.Request.Query = QueryCollection.Empty;
        }

        context.Request.Headers.Authorization = default;
    }

    private static Task Unavailable(HttpContext context, string detail)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, "unavailable", detail).ExecuteAsync(context);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A socket could not be registered in the cluster")]
    private static partial void LogConnectFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cleaning up a closed socket in the cluster failed")]
    private static partial void LogCleanUpFailed(ILogger logger, Exception exception);
}
