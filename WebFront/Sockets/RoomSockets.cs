using WeDrawOS.Grains.Interfaces.Realtime;

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

    /// <summary>
    /// Messages that arrived ahead of a gap, by seq. Pushes from a room grain can overtake each other on their way to
    /// a front that is an Orleans client (they may pass through different gateways); they wait here so that sockets
    /// get every message in seq order.
    /// </summary>
    public SortedDictionary<long, (ChatMessage Message, string? ExceptConnection)> Ahead { get; } = [];

    /// <summary>
    /// Whether <see cref="LastSeq"/> is known: it becomes known when the first local join completes (the room grain's
    /// seq at that join). Until then every live message is held in <see cref="Ahead"/>.
    /// </summary>
    public bool HasBaseline { get; set; }

    /// <summary>Whether a gap fill is already on its way for this room.</summary>
    public bool GapFillScheduled { get; set; }

    public bool IsEmpty => Joined.Count == 0 && Pending.Count == 0;

    public bool Contains(SocketConnection socket) => Pending.ContainsKey(socket) || Joined.Contains(socket);
}
