using Microsoft.Extensions.Options;
using WeDrawOS.Notifications.Sms;

namespace WeDrawOS.Services.Sms;

/// <summary>The circuit of every configured provider, shared by all sends of the process (a singleton).</summary>
public sealed class SmsCircuitBreakers
{
    private readonly Dictionary<string, SmsCircuitBreaker> _breakers;

    public SmsCircuitBreakers(IOptions<SmsOptions> options, TimeProvider time, SmsMetrics metrics)
    {
        var o = options.Value;
        _breakers = o.ProviderOrder.ToDictionary(
            name => name,
            name => new SmsCircuitBreaker(name, o.CircuitFailures, TimeSpan.FromSeconds(o.CircuitBreakSeconds), time),
            StringComparer.Ordinal);
        Order = o.ProviderOrder;
        metrics.ObserveCircuits(this);
    }

    /// <summary>Provider names in failover order.</summary>
    public IReadOnlyList<string> Order { get; }

    public SmsCircuitBreaker this[string provider] => _breakers[provider];
}
