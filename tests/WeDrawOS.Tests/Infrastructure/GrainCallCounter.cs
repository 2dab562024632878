using System.Collections.Concurrent;

namespace WeDrawOS.Tests.Infrastructure;

/// <summary>
/// Counts the grain calls a silo receives, per interface and method, with an Orleans incoming call filter. A host
/// gets one when its settings include <see cref="Settings"/> (<see cref="GrainCallCounterStartup"/> installs it), so
/// hosts are built through their own entry points as in production; read it with
/// <c>host.GetRequiredService&lt;GrainCallCounter&gt;()</c>.
/// </summary>
public sealed class GrainCallCounter : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<(string Interface, string Method), int> _calls = new();

    /// <summary>The setting that makes a host load this assembly's hosting startup.</summary>
    public static KeyValuePair<string, string> Settings { get; } = new("hostingStartupAssemblies", typeof(GrainCallCounter).Assembly.GetName().Name!);

    /// <summary>Calls received so far to <typeparamref name="TGrain"/>.<paramref name="method"/>.</summary>
    public int Count<TGrain>(string method) => _calls.GetValueOrDefault((typeof(TGrain).FullName!, method));

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType is { } declaring)
        {
            _calls.AddOrUpdate((declaring.FullName!, context.InterfaceMethod.Name), 1, (_, count) => count + 1);
        }

        await context.Invoke();
    }
}
