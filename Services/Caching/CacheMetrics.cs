using System.Diagnostics.Metrics;

namespace WeDrawOS.Services.Caching;

/// <summary>Cache reads that found a value or not, the mode the cache is in, and its switches between Redis and the memory fallback.</summary>
public sealed class CacheMetrics
{
    public const string MeterName = "WeDrawOS.Cache";

    private readonly Meter _meter;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _switches;

    public CacheMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _hits = _meter.CreateCounter<long>("hits", "{read}", "Cache reads that found a value (in Redis or the fallback)");
        _misses = _meter.CreateCounter<long>("misses", "{read}", "Cache reads that found nothing");
        _switches = _meter.CreateCounter<long>("mode.switches", "{switch}", "Switches between Redis and the memory fallback, by the mode switched to");
    }

    /// <summary>Starts reporting the cache's mode: one series per mode, 1 for the current one and 0 for the other.</summary>
    public void ObserveMode(Func<CacheMode> mode) =>
        _meter.CreateObservableGauge("mode", () =>
        {
            var current = mode();
            return Enum.GetValues<CacheMode>().Select(m => new Measurement<int>(m == current ? 1 : 0, new KeyValuePair<string, object?>("mode", m.ToName())));
        }, null, "1 for the mode the cache is in (redis, memory-fallback), 0 for the other");

    public void Read(bool found) => (found ? _hits : _misses).Add(1);

    public void Switched(CacheMode to) => _switches.Add(1, new KeyValuePair<string, object?>("to", to.ToName()));
}
