namespace WeDrawOS.Benchmarks.Scenarios;

/// <summary>
/// The e-mail batch against a plaintext aiosmtpd: on loopback, where the server's own per-message work bounds every
/// variant, and with every reply held back 2 ms, as a server a few milliseconds away answers.
/// </summary>
public sealed class EmailScenario : EmailScenarioBase
{
    public override string Name => "email";

    public override string Description => $"batch of {Messages:N0} e-mails to a local plaintext SMTP server through the service vs one connection per message";

    protected override IReadOnlyList<EmailRound> Rounds { get; } =
    [
        new("loopback", 0),
        new("2 ms reply latency", 2),
    ];
}
