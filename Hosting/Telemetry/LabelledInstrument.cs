using System.Buffers;
using System.Diagnostics.Metrics;
using Prometheus;

namespace WeDrawOS.Hosting.Telemetry;

/// <summary>
/// One instrument published the way prometheus-net's <c>MeterAdapter</c> publishes it (same names, help texts and types:
/// counters become gauges, a set of tag names becomes a series with those labels, dropped after a while untouched), as
/// the state <see cref="PrometheusMeterBridge"/>'s listener keeps for the instrument. prometheus-net 8.2.1's adapter
/// instead keeps every instrument it was handed in static dictionaries for the life of the process, and an observable
/// instrument's callback holds its host: each host a process started and stopped (tests start hundreds) stayed in
/// memory with its silo, ~65 MB each.
/// </summary>
internal sealed class LabelledInstrument
{
    private readonly Kind _kind;
    private readonly Instrument _instrument;
    private readonly IManagedLifetimeMetricFactory _factory;
    private readonly string _name;
    private readonly string _help;
    private readonly Func<Instrument, double[]> _buckets;
    private readonly Lock _gate = new();

    // Copied on write: measurements look their tag names up without a lock or an allocation.
    private Series[] _series = [];

    private LabelledInstrument(Kind kind, Instrument instrument, IManagedLifetimeMetricFactory factory, string name, Func<Instrument, double[]> buckets)
    {
        _kind = kind;
        _instrument = instrument;
        _factory = factory;
        _name = name;
        _buckets = buckets;
        var unit = string.IsNullOrWhiteSpace(instrument.Unit) ? "" : $"({instrument.Unit}) ";
        _help = $"{unit}{instrument.Description} ({instrument.GetType().Name})";
    }

    private enum Kind
    {
        /// <summary>A measurement is an increment (counters, up-down counters).</summary>
        Add,

        /// <summary>A measurement is the current value (observable instruments).</summary>
        Set,

        /// <summary>A measurement is one observation (histograms).</summary>
        Observe,
    }

    /// <summary>The series of <paramref name="instrument"/>, or null for a kind of instrument the adapter did not publish either.</summary>
    public static LabelledInstrument? For(Instrument instrument, IManagedLifetimeMetricFactory factory, string name, Func<Instrument, double[]> buckets)
    {
        var type = instrument.GetType();
        Kind? kind = !type.IsGenericType ? null : type.GetGenericTypeDefinition() switch
        {
            var t when t == typeof(Counter<>) || t == typeof(UpDownCounter<>) => Kind.Add,
            var t when t == typeof(ObservableCounter<>) || t == typeof(ObservableGauge<>) || t == typeof(ObservableUpDownCounter<>) => Kind.Set,
            var t when t == typeof(Histogram<>) => Kind.Observe,
            _ => null,
        };
        return kind is { } k ? new LabelledInstrument(k, instrument, factory, name, buckets) : null;
    }

    /// <summary>
    /// Records one measurement in the series of its tag names, labelled with its tag values. A label set measured
    /// before is found among the children the series holds, and the measurement goes straight to it; prometheus-net's
    /// own path (look the child up by its label values, take a lease, give it back) cost 4.7 % of a silo's CPU when
    /// Orleans measured every message that way (docs/performance.md).
    /// </summary>
    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = SeriesFor(tags);
        if (series.Gauge is null && series.Histogram is null)
        {
            return;
        }

        if ((series.Find(tags) ?? series.Hold(tags)) is { } held)
        {
            held.LastUsed = Environment.TickCount64;
            Apply(_kind, held.Metric, value);
            return;
        }

        // More label sets than a series holds: each measurement takes its lease, as prometheus-net's adapter does.
        var labels = ArrayPool<string>.Shared.Rent(tags.Length);
        try
        {
            var values = series.LabelValues(tags, labels);
            if (series.Gauge is { } gauge)
            {
                gauge.WithLease(static (m, gauge) => Apply(m.Kind, gauge, m.Value), (Kind: _kind, Value: value), values);
            }
            else
            {
                series.Histogram!.WithLease(static (m, histogram) => Apply(m.Kind, histogram, m.Value), (Kind: _kind, Value: value), values);
            }
        }
        finally
        {
            ArrayPool<string>.Shared.Return(labels, clearArray: true);
        }
    }

    /// <summary>
    /// Gives back the leases of children not measured for <paramref name="idleFor"/>, so that prometheus-net drops their
    /// series a lifetime after their last use, as it would have without them being held.
    /// </summary>
    public void ReleaseIdle(TimeSpan idleFor) => Release(Environment.TickCount64 - (long)idleFor.TotalMilliseconds);

    /// <summary>Gives back every lease: the instrument is no longer measured.</summary>
    public void ReleaseAll() => Release(long.MaxValue);

    private void Release(long usedBefore)
    {
        foreach (var series in _series)
        {
            series.ReleaseIdle(usedBefore);
        }
    }

    /// <summary>How many label sets are held (for tests).</summary>
    internal int HeldCount => _series.Sum(s => s.HeldCount);

    private static void Apply(Kind kind, object metric, double value)
    {
        switch (kind)
        {
            case Kind.Add:
                ((IGauge)metric).Inc(value);
                break;
            case Kind.Set:
                ((IGauge)metric).Set(value);
                break;
            default:
                ((IHistogram)metric).Observe(value);
                break;
        }
    }

    private Series SeriesFor(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var known in _series)
        {
            if (known.Matches(tags))
            {
                return known;
            }
        }

        lock (_gate)
        {
            foreach (var known in _series)
            {
                if (known.Matches(tags))
                {
                    return known;
                }
            }

            var created = CreateSeries(tags);
            _series = [.. _series, created];
            return created;
        }
    }

    private Series CreateSeries(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var tagNames = new string[tags.Length];
        var labelNames = new string[tags.Length];
        var indexes = new int[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            tagNames[i] = tags[i].Key;
            labelNames[i] = LabelName(tags[i].Key);
            indexes[i] = i;
        }

        // Tags come in any order, labels are positional: sorted by name, so the same tags always make the same series.
        Array.Sort(labelNames, indexes, StringComparer.Ordinal);
        try
        {
            return _kind == Kind.Observe
                ? new Series(tagNames, indexes, null, _factory.CreateHistogram(_name, _help, labelNames, new HistogramConfiguration { Buckets = _buckets(_instrument) }))
                : new Series(tagNames, indexes, _factory.CreateGauge(_name, _help, labelNames), null);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // prometheus-net refuses a second set of label names for one metric name (an instrument measured with
            // different tags) and reserved label names; such measurements are dropped, as the adapter dropped them,
            // rather than thrown into the code that measured.
            return new Series(tagNames, indexes, null, null);
        }
    }

    /// <summary>A tag name as prometheus-net's adapter turns it into a label name (a leading digit gets a <c>_</c>).</summary>
    private static string LabelName(string tagName)
    {
        var name = PrometheusMeterBridge.PrometheusName(tagName);
        return name.Length > 0 && char.IsAsciiLetter(name[0]) || name.StartsWith('_') ? name : "_" + name;
    }

    /// <summary>
    /// The series of one set of tag names (in the order the instrument gives them), where each label's value comes
    /// from, and the children it holds a lease on: at most <see cref="MaxHeld"/> label sets, found by comparing tag
    /// values, so that no caller's tags can make it grow.
    /// </summary>
    private sealed class Series(string[] tagNames, int[] tagIndexes, IManagedLifetimeMetricHandle<IGauge>? gauge, IManagedLifetimeMetricHandle<IHistogram>? histogram)
    {
        private const int MaxHeld = 16;

        private readonly Lock _gate = new();

        // Copied on write, like the instrument's series: found without a lock.
        private Held[] _held = [];

        public IManagedLifetimeMetricHandle<IGauge>? Gauge => gauge;

        public IManagedLifetimeMetricHandle<IHistogram>? Histogram => histogram;

        public int HeldCount => _held.Length;

        public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length != tagNames.Length)
            {
                return false;
            }

            for (var i = 0; i < tags.Length; i++)
            {
                if (!string.Equals(tags[i].Key, tagNames[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        public Held? Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var held in _held)
            {
                if (held.Matches(tags))
                {
                    return held;
                }
            }

            return null;
        }

        /// <summary>Takes a lease on the child of these tag values and keeps it; null when the series holds all it may.</summary>
        public Held? Hold(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            // A full series stays full until a scrape releases idle children: its other label sets take no lock here.
            if (_held.Length >= MaxHeld)
            {
                return null;
            }

            lock (_gate)
            {
                if (Find(tags) is { } known)
                {
                    return known;
                }

                if (_held.Length >= MaxHeld)
                {
                    return null;
                }

                var values = new object?[tags.Length];
                for (var i = 0; i < tags.Length; i++)
                {
                    values[i] = tags[i].Value;
                }

                var labels = LabelValues(tags, new string[tags.Length]);
                object metric;
                IDisposable lease;
                if (gauge is not null)
                {
                    lease = gauge.AcquireLease(out var child, labels);
                    metric = child;
                }
                else
                {
                    lease = histogram!.AcquireLease(out var child, labels);
                    metric = child;
                }

                var held = new Held(values, metric, lease);
                _held = [.. _held, held];
                return held;
            }
        }

        public void ReleaseIdle(long usedBefore)
        {
            lock (_gate)
            {
                var idle = _held.Where(h => h.LastUsed < usedBefore).ToList();
                if (idle.Count == 0)
                {
                    return;
                }

                _held = [.. _held.Except(idle)];
                foreach (var held in idle)
                {
                    held.Lease.Dispose();
                }
            }
        }

        /// <summary>The labels' values in label order, written into <paramref name="labels"/>.</summary>
        public ReadOnlySpan<string> LabelValues(ReadOnlySpan<KeyValuePair<string, object?>> tags, string[] labels)
        {
            for (var i = 0; i < tagIndexes.Length; i++)
            {
                labels[i] = tags[tagIndexes[i]].Value?.ToString() ?? "";
            }

            return new ReadOnlySpan<string>(labels, 0, tagIndexes.Length);
        }
    }

    /// <summary>A child series held with a lease, and the tag values (in the instrument's order) it was made for.</summary>
    private sealed class Held(object?[] tagValues, object metric, IDisposable lease)
    {
        public object Metric { get; } = metric;

        public IDisposable Lease { get; } = lease;

        /// <summary><see cref="Environment.TickCount64"/> at the last measurement; a plain write, a late one only delays a release.</summary>
        public long LastUsed { get; set; } = Environment.TickCount64;

        public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            for (var i = 0; i < tagValues.Length; i++)
            {
                // object.Equals: the same reference first, then the value's own equality.
                if (!Equals(tags[i].Value, tagValues[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
