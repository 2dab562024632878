using System.Globalization;

namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>Turns the <c>cluster</c> scenario's figures into table rows; the targets (issue 11) apply to this system only.</summary>
public static class ClusterMeasurements
{
    public static List<Measurement> From(IReadOnlyList<SystemFigures> systems, ClusterOptions options)
    {
        // The peer the ratios are taken against: the first other system with rooms figures (the broadcast floor has none).
        var baseline = systems.FirstOrDefault(s => !s.IsThisSystem && (s.Rooms ?? s.Hot) is not null);
        var rows = new List<Measurement>();
        foreach (var system in systems)
        {
            if (system.Rooms is { } rooms)
            {
                AddRooms(rows, system, rooms, baseline);
            }
        }

        foreach (var system in systems)
        {
            if (system.Hot is { } hot)
            {
                AddHotRoom(rows, system, hot, options, baseline);
            }
        }

        foreach (var system in systems)
        {
            if (system.Broadcast is { } broadcast)
            {
                var name = $"{system.Name}: broadcast to {broadcast.Sockets:#,0} sockets";
                rows.Add(Row(system, $"{name}, p50", broadcast.P50, "ms", "≤ 5 ms at 10,000 sockets", broadcast.P50 <= 5 && broadcast.Sockets >= 10_000));
                rows.Add(new Measurement($"{name}, p99", broadcast.P99, "ms"));
                rows.Add(Row(system, $"{name}, deliveries missing", broadcast.Missing, "deliveries", "0", broadcast.Missing == 0));
            }
        }

        return rows;
    }

    private static void AddRooms(List<Measurement> rows, SystemFigures system, RoomFigures rooms, SystemFigures? baseline)
    {
        var name = system.Name + ": rooms";
        var atFixed = string.Create(CultureInfo.InvariantCulture, $"at {rooms.Fixed.Rate:#,0} msg/s ({rooms.Fixed.DeliveriesPerSecond:#,0} deliveries/s)");
        rows.Add(new Measurement($"{name}, p50 {atFixed}", rooms.Fixed.P50, "ms"));
        rows.Add(new Measurement($"{name}, p99 {atFixed}", rooms.Fixed.P99, "ms"));
        rows.Add(CpuRow(system, "rooms", atFixed, rooms.Fixed, baseline, baseline?.Rooms?.Fixed));

        var ceiling = CeilingName(name);
        var deliveries = rooms.Search.Ceiling?.Result.DeliveriesPerSecond ?? 0;
        var baselineCeiling = baseline?.Rooms?.Search.Ceiling?.Result.DeliveriesPerSecond;
        if (system.IsThisSystem && baseline is not null && baselineCeiling is > 0)
        {
            var ratio = Math.Round(deliveries / baselineCeiling.Value, 2);
            rows.Add(new Measurement(ceiling, deliveries, "deliveries/s", CeilingName(baseline.Name + ": rooms"), ratio, "≥ 1.5 × SignalR + Redis", ratio >= 1.5));
        }
        else
        {
            rows.Add(new Measurement(ceiling, deliveries, "deliveries/s"));
        }

        if (rooms.HalfCeiling is { } half)
        {
            var atHalf = string.Create(CultureInfo.InvariantCulture, $"at half the ceiling ({half.Rate:#,0} msg/s)");
            rows.Add(Row(system, $"{name}, p50 {atHalf}", half.P50, "ms", "≤ 3 ms", half.P50 <= 3));
            rows.Add(Row(system, $"{name}, p99 {atHalf}", half.P99, "ms", "≤ 50 ms", half.P99 <= 50));
        }

        AddLoss(rows, system, name, rooms.Loss);
    }

    private static void AddHotRoom(List<Measurement> rows, SystemFigures system, RoomFigures hot, ClusterOptions options, SystemFigures? baseline)
    {
        var name = system.Name + ": hot room";
        var top = hot.Search.Ceiling?.Rate ?? 0;
        rows.Add(Row(system, CeilingName(name), top, "msg/s", "≥ 8,000 msg/s", top >= 8_000));
        var atFixed = string.Create(CultureInfo.InvariantCulture, $"at {hot.Fixed.Rate:#,0} msg/s");
        rows.Add(new Measurement($"{name}, p50 {atFixed}", hot.Fixed.P50, "ms"));
        rows.Add(Row(system, $"{name}, p99 {atFixed}", hot.Fixed.P99, "ms", "≤ 100 ms at 4,000 msg/s", hot.Fixed.P99 <= 100 && options.HotFixedRate >= 4_000));
        rows.Add(CpuRow(system, "hot room", atFixed, hot.Fixed, baseline, baseline?.Hot?.Fixed));
        AddLoss(rows, system, name, hot.Loss);
    }

    private static void AddLoss(List<Measurement> rows, SystemFigures system, string name, LoadLoss loss)
    {
        rows.Add(Row(system, $"{name}, acked messages lost", loss.LostMessages, "messages", "0", loss.LostMessages == 0));
        rows.Add(new Measurement($"{name}, busy answers (retried with the same id)", loss.Busies, "answers"));
    }

    /// <summary>Servers' CPU per message in a workload's fixed-rate window, against the baseline's same window when it ran.</summary>
    private static Measurement CpuRow(SystemFigures system, string workload, string atFixed, LoadStepResult step, SystemFigures? baseline, LoadStepResult? baselineStep)
    {
        string Name(string systemName) => $"{systemName}: {workload}, servers' CPU per message {atFixed}";
        var value = Math.Round(step.ServersCpuPerMessage, 3);
        return system.IsThisSystem && baseline is not null && baselineStep is { ServersCpuPerMessage: > 0 }
            ? new Measurement(Name(system.Name), value, "ms", Name(baseline.Name), Math.Round(step.ServersCpuPerMessage / baselineStep.ServersCpuPerMessage, 2))
            : new Measurement(Name(system.Name), value, "ms");
    }

    private static string CeilingName(string name) => $"{name}, ceiling (p99 ≤ {RoomFigures.CeilingP99:F0} ms)";

    /// <summary>A row with a target when it is this system's, without when it is the baseline's.</summary>
    private static Measurement Row(SystemFigures system, string name, double value, string unit, string target, bool met) =>
        system.IsThisSystem ? new Measurement(name, value, unit, Target: target, Met: met) : new Measurement(name, value, unit);
}
