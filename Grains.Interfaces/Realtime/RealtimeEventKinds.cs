namespace WeDrawOS.Grains.Interfaces.Realtime;

/// <summary>Values of <see cref="RealtimeEvent.Kind"/>; also the <c>event</c> names of socket <c>event</c> frames.</summary>
public static class RealtimeEventKinds
{
    public const string UserConnected = "user_connected";
    public const string UserDisconnected = "user_disconnected";
    public const string UserOnline = "user_online";
    public const string UserOffline = "user_offline";
    public const string UserJoined = "user_joined";
    public const string UserLeft = "user_left";
    public const string Message = "message";
}
