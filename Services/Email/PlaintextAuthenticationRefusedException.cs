namespace WeDrawOS.Services.Email;

/// <summary>The connection to the SMTP server is not encrypted, so the credentials are not sent (<c>MAIL_ALLOW_PLAINTEXT_AUTH</c>).</summary>
public sealed class PlaintextAuthenticationRefusedException()
    : Exception("SMTP 服务器未提供 TLS，密码不以明文发送 / the SMTP server offers no TLS, so the password is not sent in clear (MAIL_ALLOW_PLAINTEXT_AUTH=true allows it)");
