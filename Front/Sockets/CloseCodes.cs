using System.Net.WebSockets;

namespace WeDrawOS.Front.Sockets;

/// <summary>The close codes of the wire contract.</summary>
internal static class CloseCodes
{
    public const WebSocketCloseStatus GoingAway = WebSocketCloseStatus.EndpointUnavailable;
    public const WebSocketCloseStatus TooLarge = WebSocketCloseStatus.MessageTooBig;
    public const WebSocketCloseStatus PolicyViolation = WebSocketCloseStatus.PolicyViolation;

    /// <summary>1013 try again later: the client reads slower than it is sent to.</summary>
    public const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    /// <summary>4001: the token expired without a <c>refresh</c>.</summary>
    public const WebSocketCloseStatus TokenExpired = (WebSocketCloseStatus)4001;
}
