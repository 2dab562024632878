using Microsoft.Extensions.Logging;
using WeDrawOS.Grains.Interfaces.Rooms;
using WeDrawOS.Grains.Interfaces.Users;

namespace WeDrawOS.Grains.Rooms;

/// <summary>
/// Which members of a room are online, as the room tracks it, so that a join or a presence query answers without a
/// call per member. User grains tell their rooms of every change (<see cref="IRoomGrain.MemberPresenceChanged"/>);
/// a fresh activation knows nothing yet, so the first query after it asks every member once (at most
/// <see cref="RefreshConcurrency"/> calls at a time). That query runs inside a turn of the (non-reentrant) room, so
/// reports that arrive meanwhile wait for it and apply after the answers.
/// Runs on the room's activation only (not thread-safe).
/// </summary>
internal sealed partial class RoomPresence(IGrainFactory grains, ILogger logger)
{
    /// <summary>Presence calls in flight at once while a fresh activation asks its members.</summary>
    public const int RefreshConcurrency = 64;

    private readonly HashSet<string> _online = new(StringComparer.Ordinal);
    private Task? _refresh;

    /// <summary>Asks every member once per activation (the first call starts it, later ones wait for the same answers).</summary>
    public Task RefreshOnceAsync(IEnumerable<string> members) => _refresh ??= RefreshAsync(members.ToList());

    /// <summary>The members in id order, each online when the room knows it connected.</summary>
    public IReadOnlyList<MemberPresence> Of(IEnumerable<string> members) =>
        members.Order(StringComparer.Ordinal).Select(m => new MemberPresence(m, _online.Contains(m))).ToList();

    /// <summary>A member joined from a connected socket, so it is online (its user grain confirms or corrects it).</summary>
    public void Joined(string userId) => _online.Add(userId);

    /// <summary>Records a change a user grain reported; true when the room's fronts should hear of it.</summary>
    public bool Change(string userId, bool online)
    {
        // Before the first refresh nothing is known, so every report is news.
        var changed = online ? _online.Add(userId) : _online.Remove(userId);
        return changed || _refresh is null;
    }

    /// <summary>Forgets a user who is no longer a member.</summary>
    public void Forget(string userId) => _online.Remove(userId);

    private async Task RefreshAsync(List<string> members)
    {
        foreach (var chunk in members.Chunk(RefreshConcurrency))
        {
            foreach (var (userId, online) in await Task.WhenAll(chunk.Select(AskAsync)))
            {
                if (online)
                {
                    _online.Add(userId);
                }
                else
                {
                    _online.Remove(userId);
                }
            }
        }
    }

    private async Task<(string UserId, bool Online)> AskAsync(string userId)
    {
        try
        {
            return (userId, (await grains.GetGrain<IUserGrain>(userId).Presence()).Online);
        }
        catch (Exception e)
        {
            // Offline until its user grain reports a change: one unreachable member must not fail a join.
            LogAskFailed(logger, e, userId);
            return (userId, false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask member {UserId} for its presence; counted offline until it reports a change")]
    private static partial void LogAskFailed(ILogger logger, Exception exception, string userId);
}
