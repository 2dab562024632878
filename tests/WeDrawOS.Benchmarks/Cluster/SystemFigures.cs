namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>What the <c>cluster</c> scenario measured on one system; a part not run is null.</summary>
public sealed class SystemFigures(string name, bool isThisSystem)
{
    public string Name { get; } = name;

    /// <summary>True for this system (the targets apply to it), false for the baseline.</summary>
    public bool IsThisSystem { get; } = isThisSystem;

    public RoomFigures? Rooms { get; set; }

    public RoomFigures? Hot { get; set; }

    public BroadcastResult? Broadcast { get; set; }
}
