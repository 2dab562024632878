namespace WeDrawOS.Services.Sms;

/// <summary>
/// One provider's circuit: after <c>SMS_CIRCUIT_FAILURES</c> consecutive failures the provider is skipped for
/// <c>SMS_CIRCUIT_BREAK_SECONDS</c>; then a single trial is let through, whose result closes or re-opens it.
/// Throttling is not a failure (the provider is up, it asks us to slow down) and does not count. Not Polly's circuit
/// breaker (Microsoft.Extensions.Http.Resilience): that one counts a failure ratio in a time window rather than
/// consecutive failures, sees HTTP status codes rather than the provider's parsed answer, and records every outcome it
/// does not handle as a success (a throttled trial would close the circuit); docs/sms.md says more.
/// </summary>
public sealed class SmsCircuitBreaker(string provider, int failureThreshold, TimeSpan breakDuration, TimeProvider time)
{
    private readonly Lock _lock = new();
    private int _failures;
    private DateTimeOffset? _openUntil;
    private bool _trialInFlight;

    public string Provider { get; } = provider;

    public SmsCircuitState State
    {
        get
        {
            lock (_lock)
            {
                return _openUntil is null ? SmsCircuitState.Closed
                    : time.GetUtcNow() < _openUntil ? SmsCircuitState.Open
                    : SmsCircuitState.HalfOpen;
            }
        }
    }

    /// <summary>Whether a request may go to the provider now; when not, how long until it may.</summary>
    public bool TryAcquire(out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            retryAfter = TimeSpan.Zero;
            if (_openUntil is not { } until)
            {
                return true;
            }

            var now = time.GetUtcNow();
            if (now < until)
            {
                retryAfter = until - now;
                return false;
            }

            if (_trialInFlight)
            {
                retryAfter = TimeSpan.FromSeconds(1);
                return false;
            }

            _trialInFlight = true;
            return true;
        }
    }

    /// <summary>The provider answered (sent, or refused the message itself): it is up.</summary>
    public void OnSuccess()
    {
        lock (_lock)
        {
            _failures = 0;
            _openUntil = null;
            _trialInFlight = false;
        }
    }

    /// <summary>A request that was let through ended without counting either way (throttled, cancelled).</summary>
    public void OnNeutral()
    {
        lock (_lock)
        {
            _trialInFlight = false;
        }
    }

    /// <summary>Counts a failure; returns true when this failure opened the circuit.</summary>
    public bool OnFailure()
    {
        lock (_lock)
        {
            _failures++;
            var wasTrial = _trialInFlight;
            _trialInFlight = false;
            if (wasTrial || _failures >= failureThreshold)
            {
                var opening = _openUntil is null || wasTrial;
                _openUntil = time.GetUtcNow() + breakDuration;
                return opening;
            }

            return false;
        }
    }
}
