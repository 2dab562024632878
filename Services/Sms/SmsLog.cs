using Microsoft.Extensions.Logging;

namespace WeDrawOS.Services.Sms;

/// <summary>SMS log lines. Numbers are masked; codes, texts and credentials are never logged.</summary>
internal static partial class SmsLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "SMS {Id} of kind {Kind} to {Phone} recorded by the mock provider (not sent)")]
    public static partial void MockRecorded(ILogger logger, string id, string kind, string phone);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "SMS {Id} failed on {Provider}, trying the next provider: {Error}")]
    public static partial void FailingOver(ILogger logger, string id, string provider, string error);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "SMS provider {Provider} circuit opened for {Seconds} s after {Failures} consecutive failures")]
    public static partial void CircuitOpened(ILogger logger, string provider, int seconds, int failures);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "SMS {Id} sent by {Provider} to {Phone}")]
    public static partial void Sent(ILogger logger, string id, string provider, string phone);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "SMS {Id} refused by {Provider}: {Error}")]
    public static partial void Refused(ILogger logger, string id, string provider, string error);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Information, Message = "SMS {Id} throttled by {Provider}, trying the next provider: {Error}")]
    public static partial void Throttled(ILogger logger, string id, string provider, string error);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Warning, Message = "SMS provider {Provider} threw on {Id}")]
    public static partial void ProviderException(ILogger logger, Exception exception, string id, string provider);
}
