using Microsoft.Extensions.Logging;

namespace WeDrawOS.Hosting.Logging;

/// <summary>
/// The process's logger factory, wrapped so that every logger it makes masks tokens, whatever provider writes the
/// entry (console, the dashboard's trace, a provider added later) and at every level.
/// </summary>
public sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}
