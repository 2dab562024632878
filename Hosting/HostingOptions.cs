using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WeDrawOS.Configuration;

namespace WeDrawOS.Hosting;

/// <summary>
/// Ports, HTTP and shutdown: what a silo or a front needs to take its place. How it finds the cluster is in
/// <see cref="ClusterSettings"/>, which clients read too.
/// </summary>
public sealed class HostingOptions : ISettings
{
    /// <summary>Silo-to-silo port.</summary>
    [ConfigurationKeyName("SILO_PORT")]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Address other silos use to reach this one in cluster mode.</summary>
    [ConfigurationKeyName("ADVERTISED_IP")]
    public string AdvertisedIp { get; set; } = "127.0.0.1";

    /// <summary>Interface the HTTP server binds to; <c>0.0.0.0</c> to serve other machines.</summary>
    [ConfigurationKeyName("HTTP_HOST")]
    public string HttpHost { get; set; } = "localhost";

    /// <summary>HTTP port; each process kind has its own default (front 8080, silo admin 8081). 0 picks a free port.</summary>
    [ConfigurationKeyName("HTTP_PORT")]
    public int? HttpPort { get; set; }

    [ConfigurationKeyName("SHUTDOWN_TIMEOUT_SECONDS")]
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    [ConfigurationKeyName("DASHBOARD_ENABLED")]
    public bool DashboardEnabled { get; set; } = true;

    /// <summary>
    /// In cluster mode, a front that is also a silo of the cluster instead of its client: a room's or user's grain
    /// placed in the same process answers the front's calls and pushes to its sockets without a network hop, and a
    /// deployment runs half as many processes (measured in docs/performance.md). Silo processes may join such fronts.
    /// Embedded fronts always host their silo.
    /// </summary>
    [ConfigurationKeyName("FRONT_HOSTS_SILO")]
    public bool FrontHostsSilo { get; set; }

    /// <summary>Whether a process of <paramref name="role"/> is a silo (hosts grains) rather than an Orleans client.</summary>
    public bool HostsGrains(ProcessRole role, ClusterMode mode) => role == ProcessRole.Silo || mode == ClusterMode.Embedded || FrontHostsSilo;

    /// <summary>The address <c>HTTP_HOST</c> and <c>HTTP_PORT</c> give a process of <paramref name="role"/> (front 8080, silo 8081 by default).</summary>
    public string Url(ProcessRole role) => $"http://{HttpHost}:{HttpPort ?? (role == ProcessRole.Silo ? 8081 : 8080)}";

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        errors.Range("SILO_PORT", SiloPort, 0, 65535);
        errors.Range("HTTP_PORT", HttpPort ?? 0, 0, 65535);
        errors.Range("SHUTDOWN_TIMEOUT_SECONDS", ShutdownTimeoutSeconds, 1, 600);
        if (!IPAddress.TryParse(AdvertisedIp, out _))
        {
            errors.Add("ADVERTISED_IP", $"'{AdvertisedIp}' is not an IP address");
        }
    }
}
