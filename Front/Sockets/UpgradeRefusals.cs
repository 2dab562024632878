namespace WeDrawOS.Front.Sockets;

/// <summary>The <c>reason</c> tag of <c>upgrades.refused</c>: why a WebSocket upgrade was answered with an HTTP error.</summary>
internal static class UpgradeRefusals
{
    /// <summary>The request was no WebSocket upgrade (400).</summary>
    public const string NotWebSocket = "not_websocket";

    /// <summary>No token, or a token that does not validate (401).</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The front holds <c>WS_MAX_CONNECTIONS</c> sockets (503).</summary>
    public const string Capacity = "capacity";

    /// <summary>The user holds as many sockets as one user may.</summary>
    public const string PerUser = "per_user";

    /// <summary>The page's origin is not allowed.</summary>
    public const string Origin = "origin";

    /// <summary>The front is shutting down (503).</summary>
    public const string ShuttingDown = "shutting_down";
}
