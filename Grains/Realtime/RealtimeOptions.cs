using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Grains.Hosting.Configuration;
using WeDrawOS.Grains.Rooms;

namespace WeDrawOS.Grains.Realtime;

/// <summary>Bounds of the state user and room grains keep.</summary>
public sealed class RealtimeOptions : ISettings
{
    private const string DefaultRoomPrivatePrefixes = "support-";

    private string _roomPrivatePrefixes = DefaultRoomPrivatePrefixes;

    /// <summary>Messages a room keeps for <c>history</c> and recovery with <c>since</c>.</summary>
    [ConfigurationKeyName("ROOM_HISTORY_SIZE")]
    public int RoomHistorySize { get; set; } = 1000;

    /// <summary>Direct messages a user's inbox keeps.</summary>
    [ConfigurationKeyName("INBOX_SIZE")]
    public int InboxSize { get; set; } = 1000;

    /// <summary>Client message ids remembered per room or inbox to answer re-sends with <c>duplicate: true</c>.</summary>
    [ConfigurationKeyName("DEDUP_WINDOW")]
    public int DedupWindow { get; set; } = 1000;

    /// <summary>
    /// Comma-separated room id prefixes of private conversations: a room named a prefix followed by a user id admits
    /// only that user and staff (agents, admins). <c>none</c>: no such rooms (an empty variable keeps the default).
    /// </summary>
    [ConfigurationKeyName("ROOM_PRIVATE_PREFIXES")]
    public string RoomPrivatePrefixes
    {
        get => _roomPrivatePrefixes;
        set
        {
            _roomPrivatePrefixes = value;
            RoomPrivatePrefixList = Split(value);
        }
    }

    /// <summary><see cref="RoomPrivatePrefixes"/> split and trimmed (split once: rooms consult it on every message).</summary>
    public IReadOnlyList<string> RoomPrivatePrefixList { get; private set; } = Split(DefaultRoomPrivatePrefixes);

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        errors.Range("ROOM_HISTORY_SIZE", RoomHistorySize, 1, 1_000_000);
        errors.Range("INBOX_SIZE", InboxSize, 1, 1_000_000);
        errors.Range("DEDUP_WINDOW", DedupWindow, 1, 1_000_000);
        foreach (var prefix in RoomPrivatePrefixList)
        {
            if (prefix.Length > PrivateRoomIds.MaxPrefixLength || prefix.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                errors.Add("ROOM_PRIVATE_PREFIXES", $"'{prefix}' is not a room id prefix (1 to {PrivateRoomIds.MaxPrefixLength} printable characters, no spaces)");
            }
        }
    }

    private static string[] Split(string prefixes) => prefixes.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)
        ? []
        : prefixes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
