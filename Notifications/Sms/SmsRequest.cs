namespace WeDrawOS.Notifications.Sms;

/// <summary>
/// A free-text SMS as the original API takes it. <paramref name="Type"/> is <c>custom</c> (the default; the
/// templated kinds have their own methods); <paramref name="Provider"/> names a configured provider to try first.
/// </summary>
public sealed record SmsRequest(string Phone, string Content, string? Type = null, string? Provider = null, string? Language = null);
