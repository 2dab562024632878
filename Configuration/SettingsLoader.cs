using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace WeDrawOS.Configuration;

/// <summary>
/// Loads every options class of a process before the host is built, so that hosting decisions
/// (cluster mode, ports) can use them and a bad value stops the process before anything starts.
/// </summary>
public sealed class SettingsLoader(IConfiguration configuration, IHostEnvironment environment)
{
    private readonly List<Action<IServiceCollection>> _registrations = [];

    public SettingsErrors Errors { get; } = new();

    /// <summary>Binds and validates <typeparamref name="T"/> and registers it as <c>IOptions&lt;T&gt;</c>.</summary>
    public T Load<T>() where T : class, ISettings, new()
    {
        var settings = SettingsBinder.Bind<T>(configuration, Errors);
        settings.Validate(Errors, environment);
        _registrations.Add(services => services.AddSingleton(Options.Create(settings)));
        return settings;
    }

    /// <summary>
    /// Registers what was loaded, or throws <see cref="InvalidSettingsException"/> listing every problem
    /// when anything was wrong; the host's entry point turns that into a message and a non-zero exit.
    /// </summary>
    public void Register(IServiceCollection services)
    {
        if (Errors.Any)
        {
            throw new InvalidSettingsException(Errors.Lines);
        }

        foreach (var register in _registrations)
        {
            register(services);
        }
    }
}
