using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Configuration;

namespace WeDrawOS.Hosting;

/// <summary>
/// How fast the cluster gets over a silo that died without saying goodbye (cluster mode): how quickly the other silos
/// declare it dead. How long a front waits for an answer that may have been lost with the dead silo's connection is
/// <see cref="ClusterSettings.CallTimeoutMs"/>.
/// </summary>
public sealed class FailoverOptions : ISettings
{
    /// <summary>
    /// Period and timeout of the liveness probes silos send each other. A silo is declared dead after
    /// <see cref="MissedProbesLimit"/> missed probes, at which point the survivors break the calls that wait on it
    /// and its grains activate elsewhere. Orleans' default is 5 s.
    /// </summary>
    [ConfigurationKeyName("SILO_PROBE_TIMEOUT_MS")]
    public int ProbeTimeoutMs { get; set; } = 2000;

    /// <summary>Missed probes before a silo is suspected (and, with enough votes, declared dead); Orleans' default is 3.</summary>
    [ConfigurationKeyName("SILO_MISSED_PROBES_LIMIT")]
    public int MissedProbesLimit { get; set; } = 3;

    public TimeSpan ProbeTimeout => TimeSpan.FromMilliseconds(ProbeTimeoutMs);

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        errors.Range("SILO_PROBE_TIMEOUT_MS", ProbeTimeoutMs, 500, 60_000);
        errors.Range("SILO_MISSED_PROBES_LIMIT", MissedProbesLimit, 1, 10);
    }
}
