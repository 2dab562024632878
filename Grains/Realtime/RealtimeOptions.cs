using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Configuration;
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

    /// <summary>Bytes of <c>data</c> a room's history keeps at most (oldest dropped first; the newest message always stays).</summary>
    [ConfigurationKeyName("ROOM_HISTORY_MAX_BYTES")]
    public int RoomHistoryMaxBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Bytes of <c>data</c> a user's inbox keeps at most (oldest dropped first; the newest message always stays).</summary>
    [ConfigurationKeyName("INBOX_MAX_BYTES")]
    public int InboxMaxBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Percent of <see cref="InboxMaxBytes"/> that the kept messages of one sender may hold in another user's inbox; a
    /// direct message that would pass it is refused (<c>inbox_full</c>), so that one sender cannot push everyone else out.
    /// </summary>
    [ConfigurationKeyName("INBOX_SENDER_SHARE")]
    public int InboxSenderSharePercent { get; set; } = 25;

    /// <summary>Bytes one sender's messages may hold in another user's inbox.</summary>
    public long InboxSenderMaxBytes => (long)InboxMaxBytes * InboxSenderSharePercent / 100;

    /// <summary>Bytes of <c>data</c> a <c>message</c> event on the events stream carries at most; larger data is left out.</summary>
    [ConfigurationKeyName("EVENTS_MAX_DATA_BYTES")]
    public int EventsMaxDataBytes { get; set; } = 64 * 1024;

    /// <summary>Client message ids remembered per room or inbox to answer re-sends with <c>duplicate: true</c>.</summary>
    [ConfigurationKeyName("DEDUP_WINDOW")]
    public int DedupWindow { get; set; } = 1000;

    /// <summary>
    /// Messages a room or inbox accepts while earlier ones wait for their write (they are written together); more are
    /// answered <c>busy</c> instead of waiting until the caller's timeout.
    /// </summary>
    [ConfigurationKeyName("WRITE_QUEUE_LIMIT")]
    public int WriteQueueLimit { get; set; } = 1000;

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
        errors.Range("WRITE_QUEUE_LIMIT", WriteQueueLimit, 1, 1_000_000);
        foreach (var prefix in RoomPrivatePrefixList)
        {
            if (prefix.Length > PrivateRoomIds.MaxPrefixLength || prefix.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                errors.Add("ROOM_PRIVATE_PREFIXES", $"'{prefix}' is not a room id prefix (1 to {PrivateRoomIds.MaxPrefixLength} printable characters, no spaces)");
            }
        }
        errors.Range("ROOM_HISTORY_MAX_BYTES", RoomHistoryMaxBytes, 1024, 1024 * 1024 * 1024);
        errors.Range("INBOX_MAX_BYTES", InboxMaxBytes, 1024, 1024 * 1024 * 1024);
        errors.Range("INBOX_SENDER_SHARE", InboxSenderSharePercent, 1, 100);
        errors.Range("EVENTS_MAX_DATA_BYTES", EventsMaxDataBytes, 0, 1024 * 1024 * 1024);
    }

    private static string[] Split(string prefixes) => prefixes.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)
        ? []
        : prefixes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
