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

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        errors.Range("ROOM_HISTORY_SIZE", RoomHistorySize, 1, 1_000_000);
        errors.Range("INBOX_SIZE", InboxSize, 1, 1_000_000);
        errors.Range("DEDUP_WINDOW", DedupWindow, 1, 1_000_000);
        errors.Range("ROOM_HISTORY_MAX_BYTES", RoomHistoryMaxBytes, 1024, 1024 * 1024 * 1024);
        errors.Range("INBOX_MAX_BYTES", InboxMaxBytes, 1024, 1024 * 1024 * 1024);
        errors.Range("INBOX_SENDER_SHARE", InboxSenderSharePercent, 1, 100);
        errors.Range("EVENTS_MAX_DATA_BYTES", EventsMaxDataBytes, 0, 1024 * 1024 * 1024);
    }
}
