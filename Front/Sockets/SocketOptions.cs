using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Configuration;

namespace WeDrawOS.Front.Sockets;

/// <summary>WebSocket limits with the original service's names and defaults.</summary>
public sealed class SocketOptions : ISettings
{
    /// <summary>Milliseconds of silence before a server ping; a socket that does not answer it within as long is closed.</summary>
    [ConfigurationKeyName("WS_PING_INTERVAL")]
    public int PingIntervalMs { get; set; } = 30_000;

    public TimeSpan PingInterval => TimeSpan.FromMilliseconds(PingIntervalMs);

    /// <summary>Sockets one front holds at most; above it the upgrade is refused with 503.</summary>
    [ConfigurationKeyName("WS_MAX_CONNECTIONS")]
    public int MaxConnections { get; set; } = 1000;

    /// <summary>Largest client frame in bytes; a larger one closes the socket with 1009.</summary>
    [ConfigurationKeyName("WS_MAX_MESSAGE_SIZE")]
    public int MaxMessageSize { get; set; } = 1_048_576;

    /// <summary>Frames a connection may send in a burst.</summary>
    [ConfigurationKeyName("WS_RATE_BURST")]
    public int RateBurst { get; set; } = 100;

    /// <summary>Frames per second a connection may send sustained.</summary>
    [ConfigurationKeyName("WS_RATE_PER_SECOND")]
    public int RatePerSecond { get; set; } = 50;

    /// <summary>Outgoing frames queued for one socket; a reader slower than that is closed with 1013.</summary>
    [ConfigurationKeyName("WS_SEND_QUEUE_LIMIT")]
    public int SendQueueLimit { get; set; } = 1024;

    /// <summary>
    /// Bytes queued for one socket (the frame being written included); a reader slower than that is closed with 1013.
    /// A frame is always taken when nothing else is queued, so one large frame never closes a socket by itself.
    /// </summary>
    [ConfigurationKeyName("WS_SEND_QUEUE_MAX_BYTES")]
    public int SendQueueMaxBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// Bytes of <c>data</c> one <c>history</c>, <c>inbox</c> or <c>join</c> replay carries at most (at least one
    /// message); a cut answer says <c>more: true</c>.
    /// </summary>
    [ConfigurationKeyName("WS_ANSWER_MAX_BYTES")]
    public int AnswerMaxBytes { get; set; } = 1024 * 1024;

    /// <summary>Sockets one user may hold in the whole cluster; one more is refused with 429 before the upgrade.</summary>
    [ConfigurationKeyName("WS_MAX_CONNECTIONS_PER_USER")]
    public int MaxConnectionsPerUser { get; set; } = 10;

    /// <summary>Rooms one socket may be in at once; a <c>join</c> beyond is refused with <c>too_many_rooms</c>.</summary>
    [ConfigurationKeyName("WS_MAX_ROOMS_PER_CONNECTION")]
    public int MaxRoomsPerConnection { get; set; } = 100;

    /// <summary>
    /// <c>join</c> frames one user may send per minute on this front, over all its sockets (a bucket of this many,
    /// refilled evenly); beyond, <c>rate_limited</c>.
    /// </summary>
    [ConfigurationKeyName("WS_JOIN_RATE_PER_MINUTE")]
    public int JoinRatePerMinute { get; set; } = 300;

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        errors.Range("WS_PING_INTERVAL", PingIntervalMs, 100, 3_600_000);
        errors.Range("WS_MAX_CONNECTIONS", MaxConnections, 1, 1_000_000);
        errors.Range("WS_MAX_MESSAGE_SIZE", MaxMessageSize, 128, 64 * 1024 * 1024);
        errors.Range("WS_RATE_BURST", RateBurst, 1, 1_000_000);
        errors.Range("WS_RATE_PER_SECOND", RatePerSecond, 1, 1_000_000);
        errors.Range("WS_SEND_QUEUE_LIMIT", SendQueueLimit, 1, 1_000_000);
        errors.Range("WS_SEND_QUEUE_MAX_BYTES", SendQueueMaxBytes, 1024, 1024 * 1024 * 1024);
        errors.Range("WS_ANSWER_MAX_BYTES", AnswerMaxBytes, 1024, 1024 * 1024 * 1024);
        if (AnswerMaxBytes > SendQueueMaxBytes)
        {
            errors.Add("WS_ANSWER_MAX_BYTES", $"{AnswerMaxBytes} is larger than WS_SEND_QUEUE_MAX_BYTES ({SendQueueMaxBytes}): every answer that large would close the socket");
        }

        errors.Range("WS_MAX_CONNECTIONS_PER_USER", MaxConnectionsPerUser, 1, 1_000_000);
        errors.Range("WS_MAX_ROOMS_PER_CONNECTION", MaxRoomsPerConnection, 1, 1_000_000);
        errors.Range("WS_JOIN_RATE_PER_MINUTE", JoinRatePerMinute, 1, 1_000_000);
    }
}
