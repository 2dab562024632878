namespace WeDrawOS.Tests.Sms.Stubs;

/// <summary>What a provider stub answers to a correctly signed request: one value per error class.</summary>
public enum StubAnswer
{
    Accept,
    InvalidNumber,
    BadTemplate,
    Throttle,
    ServerError,

    /// <summary>Never answers (until the caller gives up): a provider that hangs.</summary>
    Hang,
}
