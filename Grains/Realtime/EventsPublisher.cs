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
    public static Task PublishMessageAsync(this Grain grain, ChatMessage stored, int maxDataBytes, ILogger logger)
    {
        var omitted = MessageLog.SizeOf(stored) > maxDataBytes;
        var carried = omitted ? stored with { Data = "null" } : stored;
        return grain.PublishAsync(new RealtimeEvent(RealtimeEventKinds.Message, stored.From, stored.Room, null, carried, stored.Ts, omitted), logger);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish a {Kind} event on the events stream")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string kind);
}
