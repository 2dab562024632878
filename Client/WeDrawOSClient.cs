using System.Text.Json;
using Orleans.Streams;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Grains.Interfaces.Streams;
using WeDrawOS.Grains.Interfaces.Users;

namespace WeDrawOS.Client;

/// <summary>The grain calls behind <see cref="IWeDrawOSClient"/>.</summary>
public sealed class WeDrawOSClient(IClusterClient cluster) : IWeDrawOSClient
{
    public Task<SendResult> SendToUserAsync(string userId, string data, string? from = null, string? clientId = null)
    {
        RequireId(userId, nameof(userId));
        return cluster.GetGrain<IUserGrain>(userId).SendDirect(Message(data, from, clientId));
    }

    public async Task<SendResult> PostToRoomAsync(string roomId, string data, string? from = null, string? clientId = null)
    {
        RequireId(roomId, nameof(roomId));
        var message = Message(data, from, clientId);
        // Services are trusted like staff, whom every room admits; so the room always answers with a result.
        var result = await cluster.GetGrain<IRoomGrain>(roomId).Post(message, senderIsStaff: true);
        return result ?? throw new InvalidOperationException($"room '{roomId}' refused a message from staff");
    }

    public Task<BroadcastMessage> BroadcastAsync(string data)
    {
        RequireJson(data);
        return cluster.GetGrain<IBroadcastGrain>(StreamNames.AllKey).Broadcast(data);
    }

    public Task<IReadOnlyList<MemberPresence>> MembersAsync(string roomId)
    {
        RequireId(roomId, nameof(roomId));
        return cluster.GetGrain<IRoomGrain>(roomId).Presence();
    }

    public Task AllowMemberAsync(string roomId, string userId)
    {
        RequireId(roomId, nameof(roomId));
        RequireId(userId, nameof(userId));
        return cluster.GetGrain<IRoomGrain>(roomId).AllowMember(userId);
    }

    public Task RemoveMemberAsync(string roomId, string userId)
    {
        RequireId(roomId, nameof(roomId));
        RequireId(userId, nameof(userId));
        return cluster.GetGrain<IRoomGrain>(roomId).RemoveMember(userId);
    }

    public Task<MessagePage> HistoryAsync(string roomId, long? before = null, int limit = 50, int maxBytes = 1 << 20)
    {
        RequireId(roomId, nameof(roomId));
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        if (before is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(before), before, "before must be a positive seq");
        }

        return cluster.GetGrain<IRoomGrain>(roomId).History(PageRequest.Before(before, limit, maxBytes));
    }

    public Task<PresenceInfo> PresenceAsync(string userId)
    {
        RequireId(userId, nameof(userId));
        return cluster.GetGrain<IUserGrain>(userId).Presence();
    }

    public async Task<IAsyncDisposable> SubscribeAsync(Func<RealtimeEvent, Task> onEvent)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        var stream = cluster.GetStreamProvider(StreamNames.Provider).GetStream<RealtimeEvent>(StreamNames.EventsStream);
        return new EventSubscription(await stream.SubscribeAsync((e, _) => onEvent(e)));
    }

    private static OutgoingMessage Message(string data, string? from, string? clientId)
    {
        RequireJson(data);
        if (from is not null)
        {
            RequireId(from, nameof(from));
        }

        if (clientId is not null)
        {
            RequireId(clientId, nameof(clientId));
        }

        return new OutgoingMessage(from ?? OutgoingMessage.ServiceSender, clientId, data, OriginConnection: null);
    }

    private static void RequireId(string? id, string name)
    {
        if (!RealtimeIds.IsValid(id))
        {
            throw new ArgumentException($"{name} must be 1 to {RealtimeIds.MaxLength} printable characters", name);
        }
    }

    private static void RequireJson(string? data)
    {
        ArgumentNullException.ThrowIfNull(data);
        try
        {
            using var _ = JsonDocument.Parse(data);
        }
        catch (JsonException e)
        {
            throw new ArgumentException("data must be JSON text (any JSON value)", nameof(data), e);
        }
    }
}
