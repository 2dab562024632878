using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace WeDrawOS.Hosting.Telemetry;

/// <summary>
/// Publishes this process's <see cref="System.Diagnostics.Metrics"/> instruments (its own, Orleans', ASP.NET Core's,
/// HttpClient's, the runtime's) in a prometheus-net registry that <c>/metrics</c> serves. Instruments created through
/// this host's <see cref="IMeterFactory"/> are told apart from another host's in the same process (tests run several)
/// by the meter's scope; process-wide meters (the runtime's) have none and are published too. Instruments measured per
/// delivered frame without tags feed one series each directly; every other one is published as prometheus-net's
/// <c>MeterAdapter</c> would publish it (<see cref="LabelledInstrument"/>), without the adapter's process-wide cache.
/// </summary>
public sealed class PrometheusMeterBridge : IHostedService, IDisposable
{
    /// <summary>Seconds: from half a millisecond to ten seconds, for latencies and durations without their own advice.</summary>
    public static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly double[] MillisecondsBuckets = SecondsBuckets.Select(s => s * 1000).ToArray();

    // A labelled series untouched this long is dropped by prometheus-net (a day is the longest it allows); one that
    // comes back starts again from zero, which rate() reads as a counter reset.
    private static readonly TimeSpan SeriesLifetime = TimeSpan.FromDays(1);

    // A labelled series' child not measured for this long gives its lease back at the next scrape (LabelledInstrument).
    private static readonly TimeSpan HeldWhileIdle = TimeSpan.FromMinutes(5);

    /// <summary>Kestrel's memory-pool meter (ASP.NET Core 10), measured per buffer: not published.</summary>
    public const string KestrelMemoryPoolMeter = "Microsoft.AspNetCore.MemoryPool";

    private readonly IMeterFactory _meters;
    private readonly HashSet<(string Meter, string Instrument)> _unlabelled;
    private readonly MetricFactory _factory;
    private readonly IManagedLifetimeMetricFactory _expiring;
    private readonly MeterListener _listener = new();
    private readonly Lock _labelledGate = new();
    private readonly List<LabelledInstrument> _labelled = [];
    private volatile bool _disposed;

    public PrometheusMeterBridge(IMeterFactory meters, IEnumerable<UnlabelledInstrument> unlabelled)
    {
        _meters = meters;
        _unlabelled = unlabelled.Select(u => (u.MeterName, u.InstrumentName)).ToHashSet();
        Registry = Metrics.NewCustomRegistry();
        _factory = Metrics.WithCustomRegistry(Registry);
        _expiring = _factory.WithManagedLifetime(SeriesLifetime);
    }

    /// <summary>What <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Each instrument's series are its listener state, so they go with the listener (and the host) when it is disposed.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!IsOurs(instrument))
            {
                return;
            }

            var series = IsUnlabelled(instrument)
                ? CreateSeries(instrument)
                : LabelledInstrument.For(instrument, _expiring, PrometheusName(instrument.Meter.Name + "_" + instrument.Name), Buckets);
            if (series is not null)
            {
                if (series is LabelledInstrument labelled)
                {
                    lock (_labelledGate)
                    {
                        _labelled.Add(labelled);
                    }
                }

                listener.EnableMeasurementEvents(instrument, series);
            }
        };
        _listener.MeasurementsCompleted = (_, series) =>
        {
            if (series is LabelledInstrument labelled)
            {
                lock (_labelledGate)
                {
                    _labelled.Remove(labelled);
                }

                labelled.ReleaseAll();
            }
        };
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, series) => Observe(series, value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, series) => Observe(series, value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, series) => Observe(series, value, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, series) => Observe(series, value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, series) => Observe(series, value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, series) => Observe(series, value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, series) => Observe(series, (double)value, tags));
        _listener.Start();

        // Observable instruments are read when Prometheus asks. The registry cannot forget a callback: after Dispose it does nothing.
        Registry.AddBeforeCollectCallback(() =>
        {
            if (!_disposed)
            {
                _listener.RecordObservableInstruments();
                ReleaseIdleSeries();
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
    }

    private void ReleaseIdleSeries()
    {
        LabelledInstrument[] labelled;
        lock (_labelledGate)
        {
            labelled = [.. _labelled];
        }

        foreach (var instrument in labelled)
        {
            instrument.ReleaseIdle(HeldWhileIdle);
        }
    }

    // The runtime's private QUIC meter is a hundred series of a transport nothing here uses. Kestrel's memory pool
    // counts every block rented and returned, that is every socket write: listening to it put a labelled measurement
    // on each delivery of a room message (profiled in the fan-out benchmark), for figures an operator reads from the
    // process's own memory instead.
    private bool IsOurs(Instrument instrument) =>
        (instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, _meters))
        && !instrument.Meter.Name.StartsWith("Private.", StringComparison.Ordinal)
        && instrument.Meter.Name != KestrelMemoryPoolMeter;

    private bool IsUnlabelled(Instrument instrument) => _unlabelled.Contains((instrument.Meter.Name, instrument.Name));

    /// <summary>The same names prometheus-net's adapter gives (meter and instrument, lower case, underscores); counters keep their type.</summary>
    private object? CreateSeries(Instrument instrument)
    {
        var name = PrometheusName(instrument.Meter.Name + "_" + instrument.Name);
        var help = string.IsNullOrEmpty(instrument.Unit) ? instrument.Description ?? "" : $"({instrument.Unit}) {instrument.Description}";
        return instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> => _factory.CreateCounter(name, help),
            UpDownCounter<long> or UpDownCounter<int> => _factory.CreateGauge(name, help),
            Histogram<double> or Histogram<long> => _factory.CreateHistogram(name, help, new HistogramConfiguration { Buckets = Buckets(instrument) }),
            _ => null,
        };
    }

    private static void Observe(object? series, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (series)
        {
            case Counter counter:
                counter.Inc(value);
                break;
            case Gauge gauge:
                gauge.Inc(value);
                break;
            case Histogram histogram:
                histogram.Observe(value);
                break;
            case LabelledInstrument labelled:
                labelled.Record(value, tags);
                break;
        }
    }

    /// <summary>The instrument's own advice when it gives one (ASP.NET Core's and ours do), else by unit.</summary>
    private static double[] Buckets(Instrument instrument)
    {
        var advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
            _ => null,
        };
        return advised is { Length: > 0 } ? advised
            : instrument.Unit == "ms" ? MillisecondsBuckets
            : instrument.Unit == "s" ? SecondsBuckets
            : MeterAdapterOptions.DefaultHistogramBuckets;
    }

    /// <summary>A Prometheus name as prometheus-net's adapter makes it: lower case, anything but letters and digits as <c>_</c>.</summary>
    internal static string PrometheusName(string name) =>
        string.Concat(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'));
}
