using System.Diagnostics;
using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using WeDrawOS.Notifications.Email;
using WeDrawOS.Services.Email;
using WeDrawOS.Tests.Infrastructure;
using WeDrawOS.WebFront;

namespace WeDrawOS.Benchmarks.Scenarios;

/// <summary>
/// A batch of 1,000 e-mails to a local aiosmtpd through the service (outboxes, pooled SMTP connections), against
/// the baseline of one SMTP connection per message (connect, EHLO, [STARTTLS, EHLO, AUTH,] send, QUIT), one after
/// the other as a naive sender does, and with the same concurrency as the service's pool; once per
/// <see cref="EmailRound"/>. The baseline uses the round's TLS mode and credentials, like the service. Each figure
/// ends when the server has written the last message.
/// </summary>
public abstract class EmailScenarioBase : IScenario
{
    protected const int Messages = 1000;
    private static readonly int PoolSize = int.TryParse(Environment.GetEnvironmentVariable("MAIL_POOL_SIZE"), out var size) ? size : 4;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    // Relay credentials made up for this run.
    private const string RelayUser = "relay-user";
    private static readonly string RelayPassword = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public abstract string Name { get; }

    public abstract string Description { get; }

    /// <summary>The server configurations, in the order they run.</summary>
    protected abstract IReadOnlyList<EmailRound> Rounds { get; }

    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var measurements = new List<Measurement>();
        var notes = new List<string>();
        using var relay = new SmtpCertificate();

        // EMAIL_ROUND=<part of a round's name> runs only the matching rounds (to profile or repeat one).
        var only = Environment.GetEnvironmentVariable("EMAIL_ROUND");
        foreach (var round in Rounds.Where(r => string.IsNullOrEmpty(only) || r.Where.Contains(only, StringComparison.OrdinalIgnoreCase)))
        {
            await RoundAsync(round, relay, measurements, notes, cancellationToken);
        }

        notes.Add("each message is persisted in its recipient's outbox and indexed by id before the batch call returns; each clock stops when the SMTP server has written the last message");
        notes.Add("CPU per message: this process (client; for the service, the whole silo) and the aiosmtpd process (server), from the kernel's accounting over each measurement");
        return new ScenarioResult(Name, measurements, notes);
    }

    private static async Task RoundAsync(EmailRound round, SmtpCertificate relay, List<Measurement> measurements, List<string> notes, CancellationToken cancellationToken)
    {
        var security = round.Tls is { } tls ? relay.Security(tls == EmailRound.TlsMode.Implicit, RelayUser, RelayPassword) : null;
        await using var smtp = await SmtpServer.StartAsync(round.LatencyMs, security, round.Pipelining);
        var where = round.Where;
        var settings = MailSettings(smtp, security, relay);
        var clients = new SmtpClientFactory(Options.Create(MailOptionsFrom(settings)));

        // Warm-up: JIT, the server's first connections.
        await MeasureAsync(smtp, () => OneConnectionPerMessageAsync(smtp, security, clients, 20, 1, cancellationToken));

        var sequential = await MeasureAsync(smtp, () => OneConnectionPerMessageAsync(smtp, security, clients, round.SequentialMessages, 1, cancellationToken));
        var parallel = await MeasureAsync(smtp, () => OneConnectionPerMessageAsync(smtp, security, clients, Messages, PoolSize, cancellationToken));

        var front = await StartFrontAsync(settings);
        try
        {
            var email = front.Services.GetRequiredService<IEmailService>();
            var sessionsBefore = smtp.Sessions();
            await MeasureAsync(smtp, () => SendBatchAsync(email, 50, "warm-up"));
            var service = await MeasureAsync(smtp, () => SendBatchAsync(email, Messages, "batch"));
            notes.Add($"{where}: the service opened {smtp.Sessions() - sessionsBefore} SMTP connection(s) for {Messages + 50:N0} messages (MAIL_POOL_SIZE={PoolSize})");
            if (round.Pipelining)
            {
                notes.Add($"{where}: the server offers PIPELINING (MailKit then sends MAIL FROM and RCPT TO in one write); not CHUNKING, which aiosmtpd does not implement");
            }

            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{where}: the service accepted (persisted) the batch after {service.Accepted.TotalMilliseconds:F0} ms; the server had the last message after {service.Elapsed.TotalMilliseconds:F0} ms"));
            notes.Add($"{where}: CPU per message, client / server: sequential {sequential.Cpu}, {PoolSize} in parallel {parallel.Cpu}, service {service.Cpu}");

            var sequentialName = round.SequentialMessages == Messages
                ? $"{where}: one connection per message, sequential"
                : $"{where}: one connection per message, sequential (rate over {round.SequentialMessages:N0} messages)";
            measurements.Add(new Measurement(sequentialName, sequential.Rate, "msg/s"));
            measurements.Add(new Measurement($"{where}: one connection per message, {PoolSize} in parallel", parallel.Rate, "msg/s"));
            measurements.Add(new Measurement($"{where}: service batch", service.Rate, "msg/s",
                sequentialName, service.Rate / sequential.Rate, "≥ 10 ×", service.Rate / sequential.Rate >= 10));
            measurements.Add(new Measurement($"{where}: service batch vs the parallel baseline", service.Rate / parallel.Rate, "×",
                $"{where}: one connection per message, {PoolSize} in parallel"));
        }
        finally
        {
            await front.StopAsync(CancellationToken.None);
            await front.DisposeAsync();
        }
    }

    /// <summary>Messages per second, and the CPU time each message cost this process and the server.</summary>
    private sealed record Figure(double Rate, TimeSpan ClientCpu, TimeSpan ServerCpu, int Count, TimeSpan Accepted, TimeSpan Elapsed)
    {
        public string Cpu => string.Create(CultureInfo.InvariantCulture,
            $"{ClientCpu.TotalMicroseconds / Count:F0} µs / {ServerCpu.TotalMicroseconds / Count:F0} µs");
    }

    /// <summary>Runs <paramref name="send"/> and returns messages per second until the server has all of them.</summary>
    private static async Task<Figure> MeasureAsync(SmtpServer smtp, Func<Task<int>> send)
    {
        var before = smtp.Count();
        using var self = Process.GetCurrentProcess();
        var clientBefore = self.TotalProcessorTime;
        var serverBefore = smtp.ProcessorTime();
        var watch = Stopwatch.StartNew();
        var count = await send();
        var accepted = watch.Elapsed;
        // Only counting files: parsing every message received so far would be charged to the figure.
        await smtp.WaitUntilCountAsync(before + count, Deadline);
        watch.Stop();
        self.Refresh();
        return new Figure(count / watch.Elapsed.TotalSeconds, self.TotalProcessorTime - clientBefore, smtp.ProcessorTime() - serverBefore, count, accepted, watch.Elapsed);
    }

    /// <summary>
    /// The naive sender: per message a new client (configured like the service's, so it trusts the same CA),
    /// connect with the same TLS mode, authenticate when the relay wants it, send, QUIT.
    /// </summary>
    private static async Task<int> OneConnectionPerMessageAsync(SmtpServer smtp, SmtpSecurity? security, SmtpClientFactory clients, int count, int concurrency, CancellationToken cancellationToken)
    {
        var tls = security is null ? SecureSocketOptions.StartTlsWhenAvailable
            : security.ImplicitTls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
        var next = -1;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var message = Message(i, "baseline");
                using var client = clients.Create();
                await client.ConnectAsync(smtp.Host, smtp.Port, tls, cancellationToken);
                if (security?.User is { } user)
                {
                    await client.AuthenticateAsync(user, security.Password ?? "", cancellationToken);
                }

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

    /// <summary>The MAIL_* variables that point the service at this round's server, with its TLS mode and credentials.</summary>
    private static Dictionary<string, string> MailSettings(SmtpServer smtp, SmtpSecurity? security, SmtpCertificate relay)
    {
        var settings = smtp.MailSettings().ToDictionary();
        if (security is not null)
        {
            settings["MAIL_CA_FILE"] = relay.CertificateFile;
            settings["MAIL_SECURE"] = security.ImplicitTls ? "true" : "false";
            settings["MAIL_USER"] = security.User!;
            settings["MAIL_PASS"] = security.Password!;
        }

        return settings;
    }

    private static MailOptions MailOptionsFrom(Dictionary<string, string> settings) => new()
    {
        TimeoutMs = int.Parse(settings["MAIL_TIMEOUT_MS"], CultureInfo.InvariantCulture),
        CaFile = settings.GetValueOrDefault("MAIL_CA_FILE"),
    };

    private static async Task<Microsoft.AspNetCore.Builder.WebApplication> StartFrontAsync(Dictionary<string, string> mail)
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
            ["API_KEY"] = Guid.NewGuid().ToString("N"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in mail)
        {
            settings[key] = value;
        }

        var app = WebFrontApp.Build(settings.Select(kv => $"--{kv.Key}={kv.Value}").Append("--environment=Production").Append("--JWT_SECRET=" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N")).ToArray());
        await app.StartAsync();
        return app;
    }
}
