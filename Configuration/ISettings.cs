using Microsoft.Extensions.Hosting;

namespace WeDrawOS.Configuration;

/// <summary>
/// An options class bound from environment-style keys (<c>[ConfigurationKeyName("REDIS_PORT")]</c>)
/// that checks its own values after binding.
/// </summary>
public interface ISettings
{
    /// <summary>Adds one line per invalid value to <paramref name="errors"/>, each naming the variable.</summary>
    void Validate(SettingsErrors errors, IHostEnvironment environment);
}
