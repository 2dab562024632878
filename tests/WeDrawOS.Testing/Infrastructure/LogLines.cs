using Microsoft.Extensions.Logging.Testing;

namespace WeDrawOS.Tests.Infrastructure;

/// <summary>What a <see cref="FakeLogCollector"/> holds as text, exceptions included: for checking what is never logged.</summary>
public static class LogLines
{
    public static IReadOnlyList<string> Lines(this FakeLogCollector logs) =>
        logs.GetSnapshot().Select(r => $"{r.Level} {r.Category}: {r.Message} {r.Exception}").ToArray();
}
