namespace WeDrawOS.Tests.Sms.Stubs;

/// <summary>A request a stub accepted as correctly signed: the number and what it asked to send.</summary>
public sealed record StubRequest(string Phone, string? Text, string? Template, IReadOnlyList<string> TemplateParams, string? Sender = null);
