namespace WeDrawOS.Services.Sms;

/// <summary>
/// One provider's circuit: after <c>SMS_CIRCUIT_FAILURES</c> consecutive failures the provider is skipped for
/// <c>SMS_CIRCUIT_BREAK_SECONDS</c>; then a single trial is let through, whose result closes or re-opens it.
/// Throttling is not a failure (the provider is up, it asks us to slow down) and does not count. Not Polly's circuit
/// breaker (Microsoft.Extensions.Http.Resilience): that one counts a failure ratio in a time window rather than
/// consecutive failures, sees HTTP status codes rather than the provider's parsed answer, and records every outcome it
/// does not handle as a success (a throttled trial would close the circuit); docs/sms.md says more. It also remembers
/// the numbers the provider throttled, until the wait it asked for is over.
/// </summary>
public sealed class SmsCircuitBreaker(string provider, int failureThreshold, TimeSpan breakDuration, TimeProvider time)
{
    /// <summary>At most this many throttled numbers are remembered per provider; past it the outbox's wait alone applies.</summary>
    private const int MaxThrottledNumbers = 10_000;

    private readonly Lock _lock = new();

    // Aliyun and Tencent throttle per number: a number a provider throttled is not sent to it again before the wait it
    // asked for, even when another provider's shorter wait brings the message back sooner.
    private readonly Dictionary<string, DateTimeOffset> _throttledUntil = new(StringComparer.Ordinal);
    private DateTimeOffset _nextPrune;
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

    /// <summary>How long the provider asked <paramref name="number"/> to wait still; null when it may be sent to.</summary>
    public TimeSpan? ThrottledFor(string number)
    {
        lock (_lock)
        {
            return _throttledUntil.TryGetValue(number, out var until) && time.GetUtcNow() < until ? until - time.GetUtcNow() : null;
        }
    }

    /// <summary>The provider throttled <paramref name="number"/>: it is up (neither way for the circuit), and asked to wait.</summary>
    public void OnThrottled(string number, TimeSpan wait)
    {
        lock (_lock)
        {
            _trialInFlight = false;
            var now = time.GetUtcNow();
            if (_throttledUntil.Count >= MaxThrottledNumbers && now >= _nextPrune)
            {
                // At most once a second, so that a full table of live waits does not make every throttled answer a scan.
                _nextPrune = now + TimeSpan.FromSeconds(1);
                foreach (var (expired, _) in _throttledUntil.Where(t => t.Value <= now).ToList())
                {
                    _throttledUntil.Remove(expired);
                }
            }

            if (_throttledUntil.Count < MaxThrottledNumbers || _throttledUntil.ContainsKey(number))
            {
                _throttledUntil[number] = now + wait;
            }
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

    /// <summary>A request that was let through ended without counting either way (cancelled; a throttled one goes to <see cref="OnThrottled"/>).</summary>
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
