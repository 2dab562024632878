using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using WeDrawOS.Front.Api;
using WeDrawOS.Front.Auth;

namespace WeDrawOS.Front.Sockets;

/// <summary>
/// <c>GET /ws</c>: checks the page's origin, the token, the front's capacity and the user's connections in the
/// cluster before the upgrade (403 / 401 / 503 / 429 problem+json), then registers the socket with its user grain,
/// sends <c>welcome</c> and serves frames until either side closes.
/// </summary>
internal sealed partial class SocketEndpoint(
    FrontNode front,
    ConnectionRegistry registry,
    TokenService tokens,
    TokenExpiryWheel expiry,
    UserJoinRates joinRates,
    RealtimeMetrics metrics,
    IOptions<SocketOptions> options,
    IOptions<WebSocketOriginOptions> origins,
    IHostApplicationLifetime lifetime,
    ILogger<SocketEndpoint> logger)
{
    private const int RetryAfterSeconds = 5;

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            metrics.UpgradeRefused(UpgradeRefusals.NotWebSocket);
            await ApiProblems.BadRequest("此端点需要 WebSocket 升级 / this endpoint needs a WebSocket upgrade").ExecuteAsync(context);
            return;
        }

        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            metrics.UpgradeRefused(UpgradeRefusals.ShuttingDown);
            await Unavailable(context, "服务器正在关闭 / the server is shutting down");
            return;
        }

        if (!origins.Value.Allows(context.Request.Headers.Origin))
        {
            metrics.UpgradeRefused(UpgradeRefusals.Origin);
            await ApiProblems.Forbidden("此来源的页面不能连接 / pages of this origin may not open sockets (WS_ALLOWED_ORIGINS)").ExecuteAsync(context);
            return;
        }

        var (identity, error) = await tokens.ValidateAsync(Token(context.Request));
        if (identity is null)
        {
            metrics.UpgradeRefused(UpgradeRefusals.Unauthorized);
            await ApiProblems.Unauthorized(error!).ExecuteAsync(context);
            return;
        }

        ForgetToken(context);

        // The user's place first: attempts beyond it then never hold one of the front's places, not even while they
        // wait for the user grain (260 sockets of one user opened at once must not fill the front for a moment).
        var connectionId = "c-" + Guid.NewGuid().ToString("N");
        if (!await ReserveForUserAsync(context, identity.UserId, connectionId))
        {
            return;
        }

        if (!registry.TryReserve(options.Value.MaxConnections))
        {
            await front.User(identity.UserId).Disconnect(front.FrontId, connectionId);
            metrics.UpgradeRefused(UpgradeRefusals.Capacity);
            await Unavailable(context, "连接数已达上限 / this server holds its maximum number of sockets");
            return;
        }

        try
        {
            await AcceptAsync(context, connectionId, identity);
        }
        finally
        {
            registry.Release();
        }
    }

    /// <summary>
    /// Holds one of the user's <c>WS_MAX_CONNECTIONS_PER_USER</c> places in the cluster (its user grain counts them
    /// over every front), or answers 429 (503 when the cluster cannot be asked). Asked before the upgrade, so that the
    /// refusal is an HTTP answer and a refused socket never exists.
    /// </summary>
    private async Task<bool> ReserveForUserAsync(HttpContext context, string userId, string connectionId)
    {
        bool reserved;
        try
        {
            reserved = await front.User(userId).Reserve(connectionId, options.Value.MaxConnectionsPerUser);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogConnectFailed(logger, e);
            await Unavailable(context, "the cluster is not reachable; try again / 集群暂不可用，请重试");
            return false;
        }

        if (!reserved)
        {
            metrics.UpgradeRefused(UpgradeRefusals.PerUser);
            await ApiProblems.Problem(
                StatusCodes.Status429TooManyRequests,
                "too_many_connections",
                $"该用户已有 {options.Value.MaxConnectionsPerUser} 个连接，请先关闭一些 / this user holds {options.Value.MaxConnectionsPerUser} connections already; close some first").ExecuteAsync(context);
        }

        return reserved;
    }

    private async Task AcceptAsync(HttpContext context, string connectionId, UserIdentity identity)
    {
        // The front-wide sweeper keeps the socket alive through the wrapping stream; without it (no HTTP/1.1
        // upgrade feature) the WebSocket's own keep-alive does, with the same interval and timeout.
        var upgrade = context.Features.Get<IHttpUpgradeFeature>() as KeepAliveUpgradeFeature;
        var ping = options.Value.PingInterval;
        WebSocket socket;
        try
        {
            socket = await context.WebSockets.AcceptWebSocketAsync(upgrade is null
                ? new WebSocketAcceptContext { KeepAliveInterval = ping, KeepAliveTimeout = ping }
                : new WebSocketAcceptContext());
        }
        catch
        {
            // The upgrade failed (the client went away): the user's place comes back now rather than when it lapses.
            await front.User(identity.UserId).Disconnect(front.FrontId, connectionId);
            throw;
        }

        using (socket)
        {
            await ServeAsync(connectionId, socket, identity, upgrade?.Stream);
        }
    }

    private async Task ServeAsync(string connectionId, WebSocket socket, UserIdentity identity, KeepAliveStream? keepAlive)
    {
        var connection = new SocketConnection(connectionId, socket, identity, options.Value.SendQueueLimit, options.Value.SendQueueMaxBytes, keepAlive, metrics);
        registry.Add(connection);
        expiry.Watch(connection);
        try
        {
            var connected = await front.ConnectAsync(identity.UserId, [connection.Id]);
            connection.Welcome(ServerFrames.Welcome(connection.Id, identity.UserId, options.Value.PingIntervalMs, connected.InboxSeq));
            // Each frame's span starts a trace of its own instead of joining the upgrade request's, which lasts as long as the socket.
            Activity.Current = null;
            var session = new SocketSession(connection, socket, front, registry, tokens, expiry, joinRates, options.Value, metrics, logger);
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

    /// <summary><c>access_token</c> (browsers cannot set headers on a WebSocket), else the <c>Authorization: Bearer</c> token.</summary>
    private static string? Token(HttpRequest request)
    {
        var query = request.Query["access_token"].ToString();
        if (query.Length > 0)
        {
            return query;
        }

        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
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
