namespace WeDrawOS.Services.Templates;

/// <summary>A rendered e-mail: one-line subject, HTML body and its plain-text alternative.</summary>
public sealed record RenderedEmail(string Subject, string Html, string Text);
