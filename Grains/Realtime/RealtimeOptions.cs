using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Grains.Hosting.Configuration;

namespace WeDrawOS.Grains.Realtime;

/// <summary>Bounds of the state user and room grains keep.</summary>
public sealed class RealtimeOptions : ISettings
{
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
    /// Messages a room or inbox accepts while earlier ones wait for their write (they are written together); more are
    /// answered <c>busy</c> instead of waiting until the caller's timeout.
    /// </summary>
    [ConfigurationKeyName("WRITE_QUEUE_LIMIT")]
    public int WriteQueueLimit { get; set; } = 1000;

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        errors.Range("ROOM_HISTORY_SIZE", RoomHistorySize, 1, 1_000_000);
        errors.Range("INBOX_SIZE", InboxSize, 1, 1_000_000);
        errors.Range("DEDUP_WINDOW", DedupWindow, 1, 1_000_000);
        errors.Range("WRITE_QUEUE_LIMIT", WriteQueueLimit, 1, 1_000_000);
    }
}
