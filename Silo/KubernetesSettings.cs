using Microsoft.Extensions.Configuration;
using WeDrawOS.Configuration;

namespace WeDrawOS.Silo;

/// <summary>
/// Running as a Kubernetes pod (<c>KUBERNETES_HOSTING=true</c>): Orleans takes the silo's name, address and cluster
/// identity from the pod (<c>POD_NAME</c>, <c>POD_NAMESPACE</c>, <c>POD_IP</c>, <c>ORLEANS_CLUSTER_ID</c>,
/// <c>ORLEANS_SERVICE_ID</c>, set by deploy/k8s) and deletes the pods of silos the cluster declared dead.
/// </summary>
public sealed class KubernetesSettings : ISettings
{
    [ConfigurationKeyName("KUBERNETES_HOSTING")]
    public bool Enabled { get; set; }

    public void Validate(SettingsErrors errors, IHostEnvironment environment)
    {
        if (!Enabled)
        {
            return;
        }

        foreach (var variable in new[] { "POD_NAME", "POD_NAMESPACE", "POD_IP" })
        {
            if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable)))
            {
                errors.Add(variable, "must be set when KUBERNETES_HOSTING=true (the pod spec passes it from the downward API)");
            }
        }
    }
}
