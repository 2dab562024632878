using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Notifications.Sms;
using WeDrawOS.Services.Notifications;
using WeDrawOS.Services.Telemetry;

namespace WeDrawOS.Services.Sms;

/// <summary>
/// The SMS channel of the notifier grain: one attempt through the providers in the configured order (a preferred
/// provider first). A transient failure or throttling moves on to the next provider; a permanent refusal (bad
/// number, bad template) ends the attempt, since no provider would do better; an open circuit skips its provider.
/// When every provider failed the outcome is transient, with the shortest wait any of them asked for, so the
/// outbox retries later.
/// </summary>
public sealed class SmsFailoverSender(
    IServiceProvider services,
    SmsCircuitBreakers breakers,
    SmsMetrics metrics,
    IOptions<SmsOptions> options,
    ILogger<SmsFailoverSender> logger) : INotificationSender
{
    public NotificationChannel Channel => NotificationChannel.Sms;

    /// <summary>
    /// Refuses, before it is queued, what could never be sent: a bad number, a missing field, an unknown provider;
    /// and an outbox keyed by a number not in E.164, so that one number never has two outboxes.
    /// </summary>
    public string? Validate(string to, NotificationRequest request)
    {
        if (!SmsRequestValidator.TryValidate(to, request, options.Value, out var e164, out var error))
        {
            return error;
        }

        return e164 == to ? null : $"an SMS outbox is keyed by the number in E.164 ({e164}), not '{to}'";
    }

    public async Task<SendOutcome> SendAsync(OutgoingNotification notification, CancellationToken cancellationToken)
    {
        if (!PhoneNumberNormalizer.TryNormalize(notification.To, options.Value.DefaultRegion, out var to, out var phoneError))
        {
            return SendOutcome.Permanent(null, phoneError);
        }

        if (!SmsTemplates.TryRender(notification.Kind, notification.Fields, notification.Language, out var text, out var templateError))
        {
            return SendOutcome.Permanent(null, templateError);
        }

        var message = new SmsMessage(notification.Id, to, notification.Kind, notification.Fields, text, notification.Language);
        var errors = new List<string>();
        TimeSpan? shortestWait = null;
        string? lastProvider = null;
        foreach (var name in Order(notification.PreferredProvider))
        {
            var provider = services.GetRequiredKeyedService<ISmsProvider>(name);
            if (!provider.Supports(message.Kind, message.Language))
            {
                errors.Add($"{name}: no template for '{message.Kind}'");
                continue;
            }

            var breaker = breakers[name];
            if (breaker.ThrottledFor(to) is { } throttledFor)
            {
                errors.Add($"{name}: throttled this number, waiting as it asked");
                shortestWait = Shortest(shortestWait, throttledFor);
                continue;
            }

            if (!breaker.TryAcquire(out var closedFor))
            {
                errors.Add($"{name}: circuit open");
                shortestWait = Shortest(shortestWait, closedFor);
                continue;
            }

            lastProvider = name;
            SendOutcome outcome;
            using var activity = WeDrawOSTracing.Source.StartActivity("sms " + name, ActivityKind.Client);
            try
            {
                outcome = await provider.SendAsync(message, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                breaker.OnNeutral();
                throw;
            }
            catch (Exception ex)
            {
                // Whatever went wrong, the circuit hears of it (a half-open trial must never stay in flight) and
                // the next provider gets its turn.
                SmsLog.ProviderException(logger, ex, message.Id, name);
                outcome = SendOutcome.Transient(name, ex switch
                {
                    HttpRequestException => $"{name}: connection failed",
                    OperationCanceledException or Polly.Timeout.TimeoutRejectedException => $"{name}: timed out",
                    _ => $"{name}: failed ({ex.GetType().Name})",
                });
            }

            var result = Outcome(outcome);
            metrics.ProviderCalled(name, result);
            if (result != SmsMetrics.Sent)
            {
                activity?.SetStatus(ActivityStatusCode.Error, result);
            }

            switch (outcome.Kind)
            {
                case SendResult.Sent:
                    breaker.OnSuccess();
                    SmsLog.Sent(logger, message.Id, name, PhoneNumberNormalizer.Mask(to));
                    return outcome;
                case SendResult.Permanent:
                    breaker.OnSuccess();
                    SmsLog.Refused(logger, message.Id, name, outcome.Error ?? "");
                    return outcome;
                default:
                    if (outcome.RetryAfter is { } wait)
                    {
                        // Throttled: the provider is up and asked us to slow down; routine under load, so not a warning.
                        breaker.OnThrottled(to, wait);
                        shortestWait = Shortest(shortestWait, wait);
                        SmsLog.Throttled(logger, message.Id, name, outcome.Error ?? "");
                    }
                    else
                    {
                        if (breaker.OnFailure())
                        {
                            SmsLog.CircuitOpened(logger, name, options.Value.CircuitBreakSeconds, options.Value.CircuitFailures);
                        }

                        SmsLog.FailingOver(logger, message.Id, name, outcome.Error ?? "");
                    }

                    errors.Add(outcome.Error ?? name + ": failed");
                    break;
            }
        }

        if (lastProvider is null && shortestWait is null)
        {
            // Nothing could even try: no configured provider can send this kind.
            return SendOutcome.Permanent(null, "no SMS provider can send this message: " + string.Join("; ", errors));
        }

        return SendOutcome.Transient(lastProvider, string.Join("; ", errors), shortestWait);
    }

    private static string Outcome(SendOutcome outcome) => outcome.Kind switch
    {
        SendResult.Sent => SmsMetrics.Sent,
        SendResult.Permanent => SmsMetrics.Refused,
        _ => outcome.RetryAfter is null ? SmsMetrics.Failed : SmsMetrics.Throttled,
    };

    private IEnumerable<string> Order(string? preferred)
    {
        var order = breakers.Order;
        if (preferred is not null && order.Contains(preferred.ToLowerInvariant()))
        {
            var first = preferred.ToLowerInvariant();
            return order.Where(p => p == first).Concat(order.Where(p => p != first));
        }

        return order;
    }

    private static TimeSpan Shortest(TimeSpan? current, TimeSpan candidate) => current is { } c && c <= candidate ? c : candidate;
}
