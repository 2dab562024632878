namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>How a send was answered.</summary>
public enum SendReplyKind
{
    /// <summary>The record is not an answer to a send.</summary>
    None,

    /// <summary>Accepted (this system: stored; SignalR: published to the backplane).</summary>
    Ack,

    /// <summary>Refused for now under load; retried with the same id.</summary>
    Busy,

    /// <summary>Refused for another reason (<see cref="SendReply.Code"/>).</summary>
    Failed,
}
