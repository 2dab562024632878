using System.Diagnostics.Metrics;

namespace WeDrawOS.Services.Sms;

/// <summary>Calls to the SMS providers by provider and outcome, and the state of each provider's circuit.</summary>
public sealed class SmsMetrics
{
    public const string MeterName = "WeDrawOS.Sms";

    /// <summary>The provider accepted the message.</summary>
    public const string Sent = "sent";

    /// <summary>The provider refused it for good (bad number, bad template).</summary>
    public const string Refused = "refused";

    /// <summary>The provider asked us to slow down (429 or its equivalent).</summary>
    public const string Throttled = "throttled";

    /// <summary>A transient failure: an error answer, a timeout, a broken connection.</summary>
    public const string Failed = "failed";

    private readonly Meter _meter;
    private readonly Counter<long> _calls;

    public SmsMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _calls = _meter.CreateCounter<long>("provider.calls", "{call}", "Calls to an SMS provider by provider and outcome (sent, refused, throttled, failed)");
    }

    /// <summary>Starts reporting the state of each provider's circuit.</summary>
    public void ObserveCircuits(SmsCircuitBreakers breakers) =>
        _meter.CreateObservableGauge("circuit.state", () => breakers.Order.Select(name =>
                new Measurement<int>((int)breakers[name].State, new KeyValuePair<string, object?>("provider", name))),
            null, "Each provider's circuit: 0 closed, 1 open, 2 half-open");

    public void ProviderCalled(string provider, string outcome) =>
        _calls.Add(1, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("outcome", outcome));
}
