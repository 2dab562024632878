namespace WeDrawOS.WebFront.Sockets;

/// <summary>
/// The local sockets of one room on this front. A socket whose join is still on its way to the room grain is
/// pending: live messages for it wait, so that <c>joined</c> comes before them.
/// </summary>
internal sealed class RoomSockets
{
    public List<SocketConnection> Joined { get; } = [];

    public Dictionary<SocketConnection, List<(long Seq, byte[] Frame)>> Pending { get; } = [];

    /// <summary>The last seq written to the sockets, so that a live message is never written twice.</summary>
    public long LastSeq { get; set; }

    public bool IsEmpty => Joined.Count == 0 && Pending.Count == 0;

    public bool Contains(SocketConnection socket) => Pending.ContainsKey(socket) || Joined.Contains(socket);
}
