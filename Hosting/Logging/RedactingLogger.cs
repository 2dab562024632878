using Microsoft.Extensions.Logging;

namespace WeDrawOS.Hosting.Logging;

/// <summary>
/// Passes log entries on with tokens masked (<see cref="TokenRedaction"/>), at every level and for every provider.
/// An entry that holds none is passed on untouched; one that does is passed on as its redacted message and values.
/// </summary>
internal sealed class RedactingLogger(ILogger inner) : ILogger
{
    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull =>
        HoldsToken(state) ? inner.BeginScope(RedactedLogState.From(state, TokenRedaction.Redact(state.ToString() ?? ""))) : inner.BeginScope(state);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        var exceptionHoldsToken = exception is not null && TokenRedaction.MayContainToken(exception.ToString());
        if (!exceptionHoldsToken && !HoldsToken(state))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
            return;
        }

        var redacted = RedactedLogState.From(state, TokenRedaction.Redact(formatter(state, exception)));
        var shownException = exceptionHoldsToken ? new RedactedLogException(exception!) : exception;
        inner.Log(logLevel, eventId, redacted, shownException, static (s, _) => s.Message);
    }

    /// <summary>Looks at the entry's values (structured logging), or at its text when it has none.</summary>
    private static bool HoldsToken<TState>(TState state) => state switch
    {
        null => false,
        IReadOnlyList<KeyValuePair<string, object?>> values => values.Any(v => v.Value is not null && TokenRedaction.MayContainToken(Text(v.Value))),
        _ => TokenRedaction.MayContainToken(state.ToString()),
    };

    private static string? Text(object value) => value switch
    {
        string text => text,
        ValueType => null,
        _ => value.ToString(),
    };
}
