namespace WeDrawOS.Services.Sms;

/// <summary>Where a provider's circuit stands, as the health check reports it.</summary>
public enum SmsCircuitState
{
    Closed,
    Open,
    HalfOpen,
}
