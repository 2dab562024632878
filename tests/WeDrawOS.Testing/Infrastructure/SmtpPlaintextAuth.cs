namespace WeDrawOS.Tests.Infrastructure;

/// <summary>Credentials a test SMTP server without TLS requires and accepts in clear (a relay that offers no STARTTLS).</summary>
public sealed record SmtpPlaintextAuth(string User, string Password);
