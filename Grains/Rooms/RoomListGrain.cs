using Orleans.Concurrency;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Grains.Interfaces.Users;

namespace WeDrawOS.Grains.Rooms;

/// <summary>
/// Lists a user's conversations: asks the user grain for its rooms, then the room grains for their summaries, at most
/// <see cref="Batch"/> at a time, so that a user in 1,000 rooms costs bounded bursts of calls and no grain waits for
/// the whole list. Stateless: it runs on whichever silo takes the call.
/// </summary>
[StatelessWorker]
public sealed class RoomListGrain : Grain, IRoomListGrain
{
    /// <summary>Room grains asked at once.</summary>
    public const int Batch = 64;

    public async Task<IReadOnlyList<RoomSummary>> List(string userId)
    {
        var rooms = await GrainFactory.GetGrain<IUserGrain>(userId).Rooms();
        var summaries = new List<RoomSummary>(rooms.Count);
        foreach (var batch in rooms.Chunk(Batch))
        {
            summaries.AddRange(await Task.WhenAll(batch.Select(room => GrainFactory.GetGrain<IRoomGrain>(room).Summary(userId))));
        }

        return summaries
            .OrderByDescending(s => s.LastMessage?.Ts ?? DateTimeOffset.MinValue)
            .ThenBy(s => s.Room, StringComparer.Ordinal)
            .ToList();
    }
}
