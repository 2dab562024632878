namespace WeDrawOS.Grains.Interfaces.Rooms;

/// <summary>
/// A user's conversations with unread counts, without joining them: the rooms the user is a member of
/// (<see cref="Users.IUserGrain.Rooms"/>), each summarised by its room grain, asked in bounded batches. Stateless,
/// so any silo answers and no user or room grain waits for the whole list; call it with key 0.
/// </summary>
public interface IRoomListGrain : IGrainWithIntegerKey
{
    /// <summary>The summaries of the rooms <paramref name="userId"/> is a member of, latest activity first.</summary>
    Task<IReadOnlyList<RoomSummary>> List(string userId);
}
