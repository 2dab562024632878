using WeDrawOS.Grains.Realtime;

namespace WeDrawOS.Grains.Rooms;

/// <summary>What a room persists besides its history (a <see cref="MessageLog"/>): members and the optional access list.</summary>
[GenerateSerializer, Alias("wedrawos.RoomState")]
public sealed class RoomState
{
    /// <summary>Users who joined and have not left.</summary>
    [Id(3)]
    public HashSet<string> Members { get; set; } = new(StringComparer.Ordinal);

    /// <summary>True once a member list was given: only listed users (and staff) may enter, even when the list is empty.</summary>
    [Id(4)]
    public bool Restricted { get; set; }

    [Id(5)]
    public HashSet<string> Allowed { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Members who joined as staff (agents, admins): they stay when the room turns private.</summary>
    [Id(6)]
    public HashSet<string> StaffMembers { get; set; } = new(StringComparer.Ordinal);
}
