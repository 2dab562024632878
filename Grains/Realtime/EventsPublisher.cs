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

    /// <summary>
    /// Publishes the <c>message</c> event of an accepted message, its data left out (<see cref="RealtimeEvent.DataOmitted"/>)
    /// when larger than <paramref name="maxDataBytes"/>.
    /// </summary>
    public static Task PublishMessageAsync(this Grain grain, ChatMessage stored, int maxDataBytes, ILogger logger) =>
        grain.PublishAsync(MessageEvent(stored, maxDataBytes), logger);

    /// <summary>
    /// Publishes the <c>message</c> events of messages stored together, with one call (one queue message of the memory
    /// stream); subscribers get them one by one, in order.
    /// </summary>
    public static async Task PublishMessagesAsync(this Grain grain, IReadOnlyList<ChatMessage> stored, int maxDataBytes, ILogger logger)
    {
        try
        {
            await grain.GetStreamProvider(StreamNames.Provider).GetStream<RealtimeEvent>(StreamNames.EventsStream)
                .OnNextBatchAsync(stored.Select(m => MessageEvent(m, maxDataBytes)).ToList());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPublishFailed(logger, e, RealtimeEventKinds.Message);
        }
    }

    private static RealtimeEvent MessageEvent(ChatMessage stored, int maxDataBytes)
    {
        var omitted = MessageLog.SizeOf(stored) > maxDataBytes;
        var carried = omitted ? stored with { Data = "null" } : stored;
        return new RealtimeEvent(RealtimeEventKinds.Message, stored.From, stored.Room, null, carried, stored.Ts, omitted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish a {Kind} event on the events stream")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string kind);
}
