namespace WeDrawOS.Tests.Infrastructure;

/// <summary>
/// TLS and authentication for the test SMTP server: a certificate and key (PEM files), STARTTLS (required) or
/// implicit TLS, and optionally credentials it insists on.
/// </summary>
public sealed record SmtpSecurity(string CertificateFile, string KeyFile, bool ImplicitTls, string? User = null, string? Password = null);
