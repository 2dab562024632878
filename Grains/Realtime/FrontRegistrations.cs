using WeDrawOS.Grains.Interfaces.Realtime;

namespace WeDrawOS.Grains.Realtime;

/// <summary>
/// The fronts a grain pushes to, each with a lease: a front that stops renewing (it died) is dropped when its lease
/// ends. Kept in memory only: after a re-activation the fronts register again on their next renewal.
/// </summary>
internal sealed class FrontRegistrations
{
    private readonly Dictionary<string, (IFrontObserver Observer, DateTime Expires)> _fronts = new(StringComparer.Ordinal);

    public int Count => _fronts.Count;

    public void Renew(string frontId, IFrontObserver observer, TimeSpan lease) => _fronts[frontId] = (observer, DateTime.UtcNow + lease);

    public bool Remove(string frontId) => _fronts.Remove(frontId);

    /// <summary>The fronts whose lease still runs, as a snapshot (callers await between uses).</summary>
    public List<IFrontObserver> Live()
    {
        var now = DateTime.UtcNow;
        var live = new List<IFrontObserver>(_fronts.Count);
        List<string>? expired = null;
        foreach (var (id, (observer, expires)) in _fronts)
        {
            if (expires > now)
            {
                live.Add(observer);
            }
            else
            {
                (expired ??= []).Add(id);
            }
        }

        expired?.ForEach(id => _fronts.Remove(id));
        return live;
    }

    public bool IsLive(string frontId) => _fronts.TryGetValue(frontId, out var front) && front.Expires > DateTime.UtcNow;
}
