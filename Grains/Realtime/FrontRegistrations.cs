using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Realtime;

/// <summary>
/// The fronts a grain pushes to, each with a lease: a front that stops renewing (it died) is dropped when its lease
/// ends. The set is persisted (observer references are serializable), so a new activation of the grain, after a
/// graceful deactivation or a silo crash, pushes to the fronts at once instead of waiting for their next renewal; each
/// front it restores gets a fresh lease. The state is written only when the set changes, and one write at a time
/// (callers interleave): a change made during a write is saved by the write after it.
/// </summary>
internal sealed class FrontRegistrations
{
    private readonly IPersistentState<RegisteredFronts> _state;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, DateTimeOffset> _expires = new(StringComparer.Ordinal);
    private Task? _saving;
    private bool _dirty;

    public FrontRegistrations(IPersistentState<RegisteredFronts> state, TimeProvider time)
    {
        _state = state;
        _time = time;
        var now = time.GetUtcNow();
        foreach (var (id, front) in state.State.Fronts)
        {
            _expires[id] = now + front.Lease;
        }
    }

    public int Count => _expires.Count;

    /// <summary>Registers the front or extends its lease; completes once a new registration is stored.</summary>
    public Task RenewAsync(string frontId, IFrontObserver observer, TimeSpan lease)
    {
        _expires[frontId] = _time.GetUtcNow() + lease;
        var fronts = _state.State.Fronts;
        if (fronts.TryGetValue(frontId, out var known) && known.Lease == lease && known.Observer.GetGrainId() == observer.GetGrainId())
        {
            return Task.CompletedTask;
        }

        fronts[frontId] = new RegisteredFront(observer, lease);
        return SaveAsync();
    }

    public Task RemoveAsync(string frontId)
    {
        _expires.Remove(frontId);
        return _state.State.Fronts.Remove(frontId) ? SaveAsync() : Task.CompletedTask;
    }

    /// <summary>
    /// The fronts whose lease still runs, but for <paramref name="except"/>, as a snapshot (callers await between uses).
    /// Ended leases are forgotten.
    /// </summary>
    public List<IFrontObserver> Live(string? except = null)
    {
        var now = _time.GetUtcNow();
        var fronts = _state.State.Fronts;
        var live = new List<IFrontObserver>(fronts.Count);
        List<string>? expired = null;
        foreach (var (id, front) in fronts)
        {
            if (_expires.TryGetValue(id, out var expires) && expires > now)
            {
                if (id != except)
                {
                    live.Add(front.Observer);
                }
            }
            else
            {
                (expired ??= []).Add(id);
            }
        }

        if (expired is not null)
        {
            expired.ForEach(id =>
            {
                fronts.Remove(id);
                _expires.Remove(id);
            });

            // Not awaited: a dead front costs nothing but a push until then; a failed write is repeated with the next change.
            _ = SaveQuietlyAsync();
        }

        return live;
    }

    private Task SaveAsync()
    {
        _dirty = true;
        if (_saving is not { IsCompleted: false })
        {
            _saving = SaveWhileDirtyAsync();
        }

        return _saving;
    }

    private async Task SaveWhileDirtyAsync()
    {
        while (_dirty)
        {
            _dirty = false;
            await _state.WriteStateAsync();
        }
    }

    private async Task SaveQuietlyAsync()
    {
        try
        {
            await SaveAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _dirty = true;
        }
    }
}
