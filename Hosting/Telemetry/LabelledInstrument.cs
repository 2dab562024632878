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

    /// <summary>Records one measurement in the series of its tag names, labelled with its tag values.</summary>
    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = SeriesFor(tags);
        if (series.Gauge is null && series.Histogram is null)
        {
            return;
        }

        var labels = ArrayPool<string>.Shared.Rent(tags.Length);
        try
        {
            for (var i = 0; i < series.TagIndexes.Length; i++)
            {
                labels[i] = tags[series.TagIndexes[i]].Value?.ToString() ?? "";
            }

            var values = new ReadOnlySpan<string>(labels, 0, series.TagIndexes.Length);
            switch (_kind)
            {
                case Kind.Add:
                    series.Gauge!.WithLease(static (v, gauge) => gauge.Inc(v), value, values);
                    break;
                case Kind.Set:
                    series.Gauge!.WithLease(static (v, gauge) => gauge.Set(v), value, values);
                    break;
                default:
                    series.Histogram!.WithLease(static (v, histogram) => histogram.Observe(v), value, values);
                    break;
            }
        }
        finally
        {
            ArrayPool<string>.Shared.Return(labels, clearArray: true);
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

    /// <summary>The series of one set of tag names (in the order the instrument gives them) and where each label's value comes from.</summary>
    private sealed record Series(string[] TagNames, int[] TagIndexes, IManagedLifetimeMetricHandle<IGauge>? Gauge, IManagedLifetimeMetricHandle<IHistogram>? Histogram)
    {
        public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length != TagNames.Length)
            {
                return false;
            }

            for (var i = 0; i < tags.Length; i++)
            {
                if (!string.Equals(tags[i].Key, TagNames[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
