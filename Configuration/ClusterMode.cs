namespace WeDrawOS.Configuration;

/// <summary>How the process finds the rest of the cluster (<c>CLUSTER_MODE</c>).</summary>
public enum ClusterMode
{
    /// <summary>One process, co-hosted silo, localhost clustering and in-memory state: nothing to install.</summary>
    Embedded,

    /// <summary>Silos and fronts meet through Redis membership; grain state and reminders live in Redis.</summary>
    Redis,
}
