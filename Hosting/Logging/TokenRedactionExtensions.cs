using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace WeDrawOS.Hosting.Logging;

public static class TokenRedactionExtensions
{
    /// <summary>Replaces the registered <see cref="ILoggerFactory"/> with a <see cref="RedactingLoggerFactory"/> around the framework's own.</summary>
    public static IServiceCollection AddTokenRedaction(this IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(provider =>
            new RedactingLoggerFactory(ActivatorUtilities.CreateInstance<LoggerFactory>(provider))));
}
