using System.Diagnostics;
using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using WeDrawOS.Grains.Email;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.WebFront;

namespace WeDrawOS.Benchmarks.Scenarios;

/// <summary>
/// A batch of 1,000 e-mails to a local aiosmtpd through the service (outboxes, pooled SMTP connections), against
/// the baseline of one SMTP connection per message (connect, EHLO, send, QUIT), one after the other as a naive
/// sender does, and with the same concurrency as the service's pool. Each figure ends when the server has written
/// the last message.
/// </summary>
public sealed class EmailScenario : IScenario
{
    private const int Messages = 1000;
    private static readonly int PoolSize = int.TryParse(Environment.GetEnvironmentVariable("MAIL_POOL_SIZE"), out var size) ? size : 4;
    private const int LatencyMs = 2;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public string Name => "email";

    public string Description => $"batch of {Messages:N0} e-mails to a local SMTP server through the service vs one connection per message";

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var measurements = new List<Measurement>();
        var notes = new List<string>();

        // Loopback: the server answers at once, so its own per-message work bounds every variant.
        // Latency: every reply held back as a server a few milliseconds away answers; what connection reuse and
        // bounded concurrency are for.
        foreach (var latencyMs in new[] { 0, LatencyMs })
        {
            await RoundAsync(latencyMs, measurements, notes, cancellationToken);
        }

        notes.Add("each message is persisted in its recipient's outbox and indexed by id before the batch call returns; each clock stops when the SMTP server has written the last message");
        return new ScenarioResult(Name, measurements, notes);
    }

    private static async Task RoundAsync(int latencyMs, List<Measurement> measurements, List<string> notes, CancellationToken cancellationToken)
    {
        await using var smtp = await SmtpServer.StartAsync(latencyMs);
        var where = latencyMs == 0 ? "loopback" : $"{latencyMs} ms reply latency";

        // Warm-up: JIT, the server's first connections.
        await MeasureAsync(smtp, () => OneConnectionPerMessageAsync(smtp, 20, 1, cancellationToken));

        var sequential = await MeasureAsync(smtp, () => OneConnectionPerMessageAsync(smtp, Messages, 1, cancellationToken));
        var parallel = await MeasureAsync(smtp, () => OneConnectionPerMessageAsync(smtp, Messages, PoolSize, cancellationToken));

        var front = await StartFrontAsync(smtp);
        try
        {
            var email = front.Services.GetRequiredService<IEmailService>();
            var sessionsBefore = smtp.Sessions();
            await MeasureAsync(smtp, () => SendBatchAsync(email, 50, "warm-up"));
            var service = await MeasureAsync(smtp, () => SendBatchAsync(email, Messages, "batch"));
            notes.Add($"{where}: the service opened {smtp.Sessions() - sessionsBefore} SMTP connection(s) for {Messages + 50:N0} messages (MAIL_POOL_SIZE={PoolSize})");

            measurements.Add(new Measurement($"{where}: one connection per message, sequential", sequential, "msg/s"));
            measurements.Add(new Measurement($"{where}: one connection per message, {PoolSize} in parallel", parallel, "msg/s"));
            measurements.Add(new Measurement($"{where}: service batch", service, "msg/s",
                $"{where}: one connection per message, sequential", service / sequential, "≥ 10 ×", service / sequential >= 10));
            measurements.Add(new Measurement($"{where}: service batch vs the parallel baseline", service / parallel, "×",
                $"{where}: one connection per message, {PoolSize} in parallel"));
        }
        finally
        {
            await front.StopAsync(CancellationToken.None);
            await front.DisposeAsync();
        }
    }

    /// <summary>Runs <paramref name="send"/> and returns messages per second until the server has all of them.</summary>
    private static async Task<double> MeasureAsync(SmtpServer smtp, Func<Task<int>> send)
    {
        var before = smtp.Count();
        var watch = Stopwatch.StartNew();
        var count = await send();
        await smtp.WaitForCountAsync(before + count, Deadline);
        watch.Stop();
        return count / watch.Elapsed.TotalSeconds;
    }

    private static async Task<int> OneConnectionPerMessageAsync(SmtpServer smtp, int count, int concurrency, CancellationToken cancellationToken)
    {
        var next = -1;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var message = Message(i, "baseline");
                using var client = new SmtpClient();
                await client.ConnectAsync(smtp.Host, smtp.Port, SecureSocketOptions.StartTlsWhenAvailable, cancellationToken);
                await client.SendAsync(message, cancellationToken);
                await client.DisconnectAsync(true, cancellationToken);
            }
        });
        await Task.WhenAll(workers);
        return count;
    }

    private static async Task<int> SendBatchAsync(IEmailService email, int count, string label)
    {
        var batch = Enumerable.Range(0, count)
            .Select(i => new EmailMessage($"{label}{i}@example.com", $"{label} {i}", $"message {i} of the {label}"))
            .ToArray();
        var results = await email.SendBatch(batch);
        var failed = results.Count(r => r.Id is null);
        return failed == 0 ? count : throw new InvalidOperationException($"{failed} message(s) were not queued: {results.First(r => r.Id is null).Error}");
    }

    private static MimeMessage Message(int i, string label)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("noreply@wedrawos.local"));
        message.To.Add(MailboxAddress.Parse($"{label}{i}@example.com"));
        message.Subject = $"{label} {i}";
        message.Body = new BodyBuilder { TextBody = $"message {i} of the {label}", HtmlBody = $"<p>message {i} of the {label}</p>" }.ToMessageBody();
        return message;
    }

    private static async Task<Microsoft.AspNetCore.Builder.WebApplication> StartFrontAsync(SmtpServer smtp)
    {
        string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
        var settings = new Dictionary<string, string>
        {
            ["CLUSTER_ID"] = "bench-" + Guid.NewGuid().ToString("N")[..8],
            ["SILO_PORT"] = Port(FreePort.Next()),
            ["GATEWAY_PORT"] = Port(FreePort.Next()),
            ["REDIS_HOST"] = "127.0.0.1",
            ["REDIS_PORT"] = Port(FreePort.Next()),
            ["REDIS_CONNECT_TIMEOUT_MS"] = "500",
            ["HTTP_HOST"] = "127.0.0.1",
            ["HTTP_PORT"] = "0",
            ["DASHBOARD_ENABLED"] = "false",
            ["MAIL_POOL_SIZE"] = Port(PoolSize),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in smtp.MailSettings())
        {
            settings[key] = value;
        }

        var app = WebFrontApp.Build(settings.Select(kv => $"--{kv.Key}={kv.Value}").Append("--environment=Production").Append("--JWT_SECRET=" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N")).ToArray());
        await app.StartAsync();
        return app;
    }
}
