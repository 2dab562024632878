using System.Collections;

namespace WeDrawOS.Hosting.Logging;

/// <summary>A log entry's message and values with tokens masked, in place of the original state.</summary>
internal sealed class RedactedLogState(string message, IReadOnlyList<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public string Message { get; } = message;

    public int Count => values.Count;

    public KeyValuePair<string, object?> this[int index] => values[index];

    public static RedactedLogState From<TState>(TState state, string redactedMessage)
    {
        var values = state is IReadOnlyList<KeyValuePair<string, object?>> list
            ? list.Select(v => v.Value is string or null or ValueType ? Redacted(v) : new KeyValuePair<string, object?>(v.Key, TokenRedaction.Redact(v.Value.ToString() ?? ""))).ToList()
            : [];
        return new RedactedLogState(redactedMessage, values);
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Message;

    private static KeyValuePair<string, object?> Redacted(KeyValuePair<string, object?> value) =>
        value.Value is string text ? new(value.Key, TokenRedaction.Redact(text)) : value;
}
