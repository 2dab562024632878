using Microsoft.Extensions.Logging;
using Orleans.Streams;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Streams;

namespace WeDrawOS.Grains.Realtime;

/// <summary>
/// Publishes on the events stream for other services. Called after the state write, so a failure to publish is
/// logged and does not fail what was already accepted.
/// </summary>
internal static partial class EventsPublisher
{
    public static async Task PublishAsync(this Grain grain, RealtimeEvent entry, ILogger logger)
    {
        try
        {
            await grain.GetStreamProvider(StreamNames.Provider).GetStream<RealtimeEvent>(StreamNames.EventsStream).OnNextAsync(entry);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPublishFailed(logger, e, entry.Kind);
        }
    }

    /// <summary>Publishes several events with one call (one queue message of the memory stream); subscribers get them one by one.</summary>
    public static async Task PublishAsync(this Grain grain, IReadOnlyList<RealtimeEvent> entries, ILogger logger)
    {
        try
        {
            await grain.GetStreamProvider(StreamNames.Provider).GetStream<RealtimeEvent>(StreamNames.EventsStream).OnNextBatchAsync(entries);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPublishFailed(logger, e, entries[0].Kind);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish a {Kind} event on the events stream")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string kind);
}
