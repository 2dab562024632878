namespace WeDrawOS.Benchmarks.Scenarios;

/// <summary>
/// One SMTP server configuration of the e-mail scenarios: how long it holds back each reply, whether it requires
/// TLS (and then AUTH), whether it offers PIPELINING, and over how many messages the sequential baseline's rate
/// is taken (1,000 unless that alone would take most of a scenario's two minutes).
/// </summary>
public sealed record EmailRound(string Where, int LatencyMs, EmailRound.TlsMode? Tls = null, bool Pipelining = false, int SequentialMessages = 1000)
{
    public enum TlsMode
    {
        /// <summary>Plaintext greeting, STARTTLS required before AUTH (submission, port 587).</summary>
        StartTls,

        /// <summary>TLS from the first byte (port 465, <c>MAIL_SECURE=true</c>).</summary>
        Implicit,
    }
}
