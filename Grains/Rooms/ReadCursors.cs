using WeDrawOS.Grains.Interfaces.Rooms;

namespace WeDrawOS.Grains.Rooms;

/// <summary>
/// The members' read cursors of one room. A cursor only moves forward. Moves are kept in memory and written together
/// later (<see cref="FlushAsync"/>): a busy room's readers cost one write per flush, not one per <c>read</c> frame.
/// </summary>
internal sealed class ReadCursors(IPersistentState<ReadCursorsState> state)
{
    private Dictionary<string, long> Seqs => state.State.Seqs;

    /// <summary>Whether cursors moved since the last write.</summary>
    public bool Dirty { get; private set; }

    /// <summary>The member's cursor, 0 when it has read nothing.</summary>
    public long Of(string userId) => Seqs.GetValueOrDefault(userId);

    /// <summary>Moves the cursor to <paramref name="seq"/> when that is further; true when it moved.</summary>
    public bool Advance(string userId, long seq)
    {
        if (seq <= Of(userId))
        {
            return false;
        }

        Seqs[userId] = seq;
        Dirty = true;
        return true;
    }

    /// <summary>The cursors of <paramref name="members"/> who have read something, by user id.</summary>
    public IReadOnlyList<ReadCursor> Of(IEnumerable<string> members) =>
        members.Where(Seqs.ContainsKey).Order(StringComparer.Ordinal).Select(m => new ReadCursor(m, Seqs[m])).ToList();

    /// <summary>Writes the cursors, dropping those of users who are no longer members, so the state stays bounded by the members.</summary>
    public async Task FlushAsync(IReadOnlySet<string> members)
    {
        if (!Dirty)
        {
            return;
        }

        foreach (var gone in Seqs.Keys.Where(u => !members.Contains(u)).ToList())
        {
            Seqs.Remove(gone);
        }

        // Still dirty if the write fails, so the next flush (the next move's, or deactivation's) tries again.
        await state.WriteStateAsync();
        Dirty = false;
    }
}
