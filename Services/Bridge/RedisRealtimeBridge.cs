using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Grains.Interfaces.Users;
using WeDrawOS.Services.Caching;

namespace WeDrawOS.Services.Bridge;

/// <summary>
/// Carries messages that services outside the cluster (the existing Node.js system, for example) publish on
/// Redis channels (<c>CACHE_BRIDGE_CHANNELS</c>) to WebSocket clients: a broadcast, a user (into its inbox, to
/// every device) or a room (into its history). Messages enter through the grains like any other, so they get
/// a seq and are recoverable; <see cref="BridgeLeadership"/> makes sure each enters once per cluster. With
/// <c>CACHE_BRIDGE_SECRET</c> only messages that <see cref="BridgeSignature"/> accepts are forwarded: anything that
/// can publish on Redis could otherwise post as the system into private rooms, broadcasts and inboxes.
/// </summary>
public sealed partial class RedisRealtimeBridge(
    ICacheService cache,
    IGrainFactory grains,
    BridgeLeadership leadership,
    IReadOnlyList<string> channels,
    BridgeSignature signature,
    IHostEnvironment environment,
    ILogger<RedisRealtimeBridge> logger) : BackgroundService
{
    private long _received;
    private long _forwarded;

    /// <summary>Messages seen on the bridged channels by this process.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Messages this process delivered into the grains.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    public bool IsLeader => leadership.IsLeader;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!signature.Required && !environment.IsDevelopment())
        {
            LogUnsigned();
        }

        await leadership.RefreshAsync();
        var subscriptions = new List<CacheSubscription>();
        try
        {
            foreach (var channel in channels)
            {
                subscriptions.Add(await cache.SubscribeAsync(channel, ForwardAsync, stoppingToken));
            }

            LogBridging(string.Join(", ", channels));
            using var timer = new PeriodicTimer(BridgeLeadership.Lease / 3);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await leadership.RefreshAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            foreach (var subscription in subscriptions)
            {
                await subscription.DisposeAsync();
            }
        }
    }

    private async Task ForwardAsync(CacheMessage published)
    {
        Interlocked.Increment(ref _received);
        if (!leadership.IsLeader)
        {
            return;
        }

        if (!signature.TryOpen(published.Payload, out var text, out var problem) || !BridgeMessage.TryParse(text!, out var message, out problem))
        {
            LogDropped(published.Channel, problem!);
            return;
        }

        var from = "system:" + published.Channel;
        try
        {
            switch (message!.Target)
            {
                case BridgeTarget.Broadcast:
                    await grains.GetGrain<IBroadcastGrain>(Grains.Interfaces.Streams.StreamNames.AllKey).Broadcast(message.Payload);
                    break;
                case BridgeTarget.User:
                    await grains.GetGrain<IUserGrain>(message.UserId!).SendDirect(new OutgoingMessage(from, message.Id, message.Payload, null));
                    break;
                case BridgeTarget.Room:
                    // The bridge speaks for the system, so private rooms accept it as they accept staff.
                    await grains.GetGrain<IRoomGrain>(message.RoomId!).Post(new OutgoingMessage(from, message.Id, message.Payload, null), senderIsStaff: true);
                    break;
            }

            Interlocked.Increment(ref _forwarded);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Pub/sub is fire-and-forget for the publisher: report and go on with the next message.
            LogForwardFailed(published.Channel, message!.Target, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis bridge: forwarding channels {Channels} to WebSocket clients")]
    private partial void LogBridging(string channels);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis bridge: CACHE_BRIDGE_SECRET is not set, so anything that can publish on the bridged channels posts as the system (private rooms, broadcasts, inboxes)")]
    private partial void LogUnsigned();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis bridge: dropped a message on {Channel}: {Problem}")]
    private partial void LogDropped(string channel, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis bridge: a {Target} message on {Channel} could not be delivered ({Error})")]
    private partial void LogForwardFailed(string channel, BridgeTarget target, string error);
}
