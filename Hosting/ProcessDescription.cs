namespace WeDrawOS.Hosting;

/// <summary>What kind of process this is, for its start-up log line and its telemetry.</summary>
public sealed record ProcessDescription(ProcessRole Role)
{
    /// <summary><c>front</c> or <c>silo</c>.</summary>
    public string Name => Role == ProcessRole.Silo ? "silo" : "front";
}
