namespace WeDrawOS.Services.Email;

/// <summary>What the last SMTP attempt on this silo learned about the server, for the <c>smtp</c> health entry.</summary>
public sealed class SmtpServerState
{
    private volatile string? _refusal;

    /// <summary>
    /// Why the server refused to work with us on the last attempt although it was reachable (credentials, TLS),
    /// or null. Unreachability is not kept here: the health check probes for it each time.
    /// </summary>
    public string? Refusal => _refusal;

    public void NoteReachable() => _refusal = null;

    public void NoteRefused(string reason) => _refusal = reason;
}
