using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using WeDrawOS.Client;
using WeDrawOS.Configuration;
using WeDrawOS.Front.Sockets;
using WeDrawOS.Grains.Realtime;
using WeDrawOS.Hosting;
using WeDrawOS.Hosting.Telemetry;
using WeDrawOS.Notifications.Sms;
using WeDrawOS.Services.Email;
using WeDrawOS.Silo;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.WebFront;

namespace WeDrawOS.Tests.Operations;

/// <summary>docs/operations.md lists every metric the code defines, and the README's table every variable a settings class binds.</summary>
public sealed partial class DocumentationCoverageTests
{
    private static readonly Assembly[] SystemAssemblies =
    [
        typeof(ISettings).Assembly, typeof(IWeDrawOSClient).Assembly, typeof(SmsOptions).Assembly, typeof(MailOptions).Assembly,
        typeof(RealtimeOptions).Assembly, typeof(CoreSettings).Assembly, typeof(SocketOptions).Assembly, typeof(WebFrontApp).Assembly,
        typeof(SiloApp).Assembly,
    ];

    [Fact]
    public async Task Operations_md_lists_exactly_the_metrics_a_front_with_its_silo_defines()
    {
        // An embedded front hosts a silo too: every metrics class of fronts and silos lives in it.
        await using var front = await TestHost.StartFrontAsync(TestHost.EmbeddedSettings());
        foreach (var type in InstrumentMakers())
        {
            // Builds the singletons that create instruments (the grains' metrics are otherwise made at a grain's first activation).
            front.Services.GetService(type);
        }

        var meters = front.GetRequiredService<IMeterFactory>();
        var defined = new HashSet<string>(StringComparer.Ordinal);
        using (var listener = new MeterListener())
        {
            // Start() reports every instrument created so far.
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Meter.Name.StartsWith("WeDrawOS.", StringComparison.Ordinal))
                {
                    lock (defined)
                    {
                        defined.Add(PrometheusMeterBridge.PrometheusName(instrument.Meter.Name + "_" + instrument.Name));
                    }
                }
            };
            listener.Start();
        }

        var operations = File.ReadAllText(RepositoryFiles.Path("docs", "operations.md"));
        var documented = MetricName().Matches(operations).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.True(defined.Count >= 15, "instruments found: " + string.Join(", ", defined));
        Assert.True(defined.SetEquals(documented),
            $"not in docs/operations.md: {string.Join(", ", defined.Except(documented))}; documented but not defined: {string.Join(", ", documented.Except(defined))}");
    }

    [Fact]
    public void Readme_table_lists_every_variable_a_settings_class_binds()
    {
        var bound = SystemAssemblies.SelectMany(a => a.GetTypes())
            .Where(t => typeof(ISettings).IsAssignableFrom(t) && t.IsClass)
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Select(p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name)
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

        Assert.Contains("API_KEY", bound);
        var undocumented = bound.Where(v => !ReadmeVariables.Documented.Contains(v)).Order(StringComparer.Ordinal).ToList();
        Assert.True(undocumented.Count == 0, "bound but not in the README's table: " + string.Join(", ", undocumented));
    }

    /// <summary>The classes of this system that take a meter factory or a metrics class: those that create instruments.</summary>
    private static IEnumerable<Type> InstrumentMakers() =>
        SystemAssemblies.SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false })
            .Where(t => t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(IMeterFactory) || p.ParameterType.Name.EndsWith("Metrics", StringComparison.Ordinal))));

    [GeneratedRegex("`(wedrawos_[a-z0-9_]+)`")]
    private static partial Regex MetricName();
}
