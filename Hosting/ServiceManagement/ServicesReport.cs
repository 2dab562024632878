using System.Text.Json.Serialization;

namespace WeDrawOS.Hosting.ServiceManagement;

/// <summary>
/// The state of one service: <c>healthy</c>, <c>degraded</c> or <c>unhealthy</c>, with a short description (which may
/// name hosts, ports and folders, so it is left out for anonymous callers).
/// </summary>
public sealed record ServiceState(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("description"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description);

/// <summary>What <c>/health/ready</c> returns and <see cref="ServiceManager.GetReportAsync"/> gives .NET callers.</summary>
public sealed record ServicesReport(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("services")] IReadOnlyDictionary<string, ServiceState> Services)
{
    /// <summary>Degraded services still serve (for example the cache on its memory fallback); only unhealthy ones make the process not ready.</summary>
    [JsonIgnore]
    public bool Ready => Status != "unhealthy";

    /// <summary>The same states without descriptions: what a load balancer needs, nothing about the deployment.</summary>
    public ServicesReport WithoutDescriptions() =>
        this with { Services = Services.ToDictionary(s => s.Key, s => s.Value with { Description = null }) };
}
