namespace WeDrawOS.Notifications.Email;

/// <summary>One caller-written e-mail (<c>SendMail</c> and each item of <c>SendBatch</c>): at least one of text and HTML.</summary>
public sealed record EmailMessage(string To, string Subject, string? Text = null, string? Html = null);
