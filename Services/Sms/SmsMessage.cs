namespace WeDrawOS.Services.Sms;

/// <summary>One SMS ready for a provider: the E.164 number, its kind and fields (for template providers) and the rendered text (for free-text providers).</summary>
public sealed record SmsMessage(
    string Id,
    string To,
    string Kind,
    IReadOnlyDictionary<string, string> Fields,
    string Text,
    string Language);
