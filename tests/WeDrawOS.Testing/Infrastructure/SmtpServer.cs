using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace WeDrawOS.Tests.Infrastructure;

/// <summary>
/// A real SMTP server (Debian's python3-aiosmtpd running tests/WeDrawOS.Testing/smtp/maildir_smtpd.py) on a free loopback port,
/// writing every accepted message to a private folder. Recipients whose local part starts with <c>reject</c>
/// get 550; <see cref="TemporaryFailures"/> makes it answer 451. Stopping kills the process; starting again
/// reuses the port and the folder. A server started with a DATA delay holds each message inside the DATA phase
/// (<see cref="HeldRecipients"/>) until the delay passes or <see cref="ReleaseHeld"/>.
/// </summary>
public sealed class SmtpServer : IAsyncDisposable
{
    private ChildProcess? _process;

    private readonly int _latencyMs;
    private readonly SmtpSecurity? _security;
    private readonly bool _pipelining;
    private readonly int _dataDelayMs;
    private readonly SmtpPlaintextAuth? _plaintextAuth;

    private SmtpServer(int port, string directory, int latencyMs, SmtpSecurity? security, bool pipelining, int dataDelayMs, SmtpPlaintextAuth? plaintextAuth)
    {
        Port = port;
        Directory = directory;
        _latencyMs = latencyMs;
        _security = security;
        _pipelining = pipelining;
        _dataDelayMs = dataDelayMs;
        _plaintextAuth = plaintextAuth;
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>The folder the server writes to: <c>new/*.eml</c>, <c>sessions.log</c>.</summary>
    public string Directory { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>While true, every recipient gets <c>451 4.3.0</c>.</summary>
    public bool TemporaryFailures
    {
        get => File.Exists(Path.Combine(Directory, "tempfail"));
        set
        {
            var flag = Path.Combine(Directory, "tempfail");
            if (value)
            {
                File.WriteAllText(flag, "");
            }
            else
            {
                File.Delete(flag);
            }
        }
    }

    /// <summary>The variables that point a host at this server.</summary>
    public IEnumerable<KeyValuePair<string, string>> MailSettings() =>
    [
        new("MAIL_HOST", Host),
        new("MAIL_PORT", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("MAIL_TIMEOUT_MS", "5000"),
    ];

    /// <summary>
    /// Starts a server; <paramref name="latencyMs"/> holds back every reply as a distant server would (benchmarks),
    /// <paramref name="security"/> makes it require TLS and, when it names a user, authentication;
    /// <paramref name="pipelining"/> makes it offer PIPELINING, as production relays do;
    /// <paramref name="dataDelayMs"/> holds each message that long before the final reply to its DATA;
    /// <paramref name="plaintextAuth"/> makes a server without TLS require and accept AUTH in clear, as a relay
    /// without STARTTLS would.
    /// </summary>
    public static async Task<SmtpServer> StartAsync(int latencyMs = 0, SmtpSecurity? security = null, bool pipelining = false, int dataDelayMs = 0, SmtpPlaintextAuth? plaintextAuth = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "wedrawos-smtp-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var server = new SmtpServer(FreePort.Next(), directory, latencyMs, security, pipelining, dataDelayMs, plaintextAuth);
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var python = PythonWithAiosmtpd();
        var script = Path.Combine(AppContext.BaseDirectory, "smtp", "maildir_smtpd.py");
        var start = new ProcessStartInfo(python)
        {
            ArgumentList =
            {
                script, "--host", Host, "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--dir", Directory,
                "--latency-ms", _latencyMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--data-delay-ms", _dataDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        if (_pipelining)
        {
            start.ArgumentList.Add("--pipelining");
        }

        if (_plaintextAuth is { } plaintext)
        {
            start.ArgumentList.Add("--auth-user");
            start.ArgumentList.Add(plaintext.User);
            start.ArgumentList.Add("--auth-pass");
            start.ArgumentList.Add(plaintext.Password);
            start.ArgumentList.Add("--allow-plaintext-auth");
        }

        if (_security is { } security)
        {
            start.ArgumentList.Add("--tls-cert");
            start.ArgumentList.Add(security.CertificateFile);
            start.ArgumentList.Add("--tls-key");
            start.ArgumentList.Add(security.KeyFile);
            if (security.ImplicitTls)
            {
                start.ArgumentList.Add("--implicit-tls");
            }

            if (security.User is not null)
            {
                start.ArgumentList.Add("--auth-user");
                start.ArgumentList.Add(security.User);
                start.ArgumentList.Add("--auth-pass");
                start.ArgumentList.Add(security.Password ?? "");
            }
        }

        _process = ChildProcess.Start(start);
        try
        {
            await WaitUntilGreetsAsync(TimeSpan.FromSeconds(20));
        }
        catch (OperationCanceledException)
        {
            var output = _process.Errors;
            await StopAsync();
            throw new InvalidOperationException("the SMTP server did not answer: " + output);
        }
    }

    /// <summary>Kills the server as a crash would and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    /// <summary>Every message received so far.</summary>
    public IReadOnlyList<MimeMessage> Messages()
    {
        var folder = Path.Combine(Directory, "new");
        if (!System.IO.Directory.Exists(folder))
        {
            return [];
        }

        return System.IO.Directory.GetFiles(folder, "*.eml").Order(StringComparer.Ordinal).Select(f => MimeMessage.Load(f)).ToList();
    }

    /// <summary>
    /// The recipients of each message the server holds inside its DATA phase right now (received in full, not yet
    /// answered, so not yet accepted): one list per message.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> HeldRecipients()
    {
        var folder = Path.Combine(Directory, "held");
        if (!System.IO.Directory.Exists(folder))
        {
            return [];
        }

        var held = new List<IReadOnlyList<string>>();
        foreach (var file in System.IO.Directory.GetFiles(folder))
        {
            try
            {
                held.Add(File.ReadAllLines(file));
            }
            catch (FileNotFoundException)
            {
                // Released between listing and reading.
            }
        }

        return held;
    }

    /// <summary>Ends every hold now, and every later one at once: held messages are accepted.</summary>
    public void ReleaseHeld() => File.WriteAllText(Path.Combine(Directory, "release"), "");

    /// <summary>CPU time the server process has used so far (user and system), for per-message cost figures.</summary>
    public TimeSpan ProcessorTime() => _process?.ProcessorTime() ?? TimeSpan.Zero;

    /// <summary>Connections opened to the server so far (one EHLO each; two with STARTTLS).</summary>
    public int Sessions()
    {
        var log = Path.Combine(Directory, "sessions.log");
        return File.Exists(log) ? File.ReadAllLines(log).Length : 0;
    }

    /// <summary>Polls the folder until <paramref name="done"/> holds for the messages received, or the deadline passes.</summary>
    public Task<IReadOnlyList<MimeMessage>> WaitForMessagesAsync(Func<IReadOnlyList<MimeMessage>, bool> done, TimeSpan timeout) =>
        Eventually.MatchAsync(() => Task.FromResult(Messages()), done, timeout, "the messages the test waits for at the SMTP server");

    /// <summary>Waits until at least <paramref name="count"/> messages were received (counting files, without parsing them), then returns them all.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForCountAsync(int count, TimeSpan timeout)
    {
        await WaitUntilCountAsync(count, timeout);
        return Messages();
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> messages were received, without reading them. Polls every 20 ms
    /// rather than <see cref="Eventually"/>'s 50 ms: the e-mail benchmark's clock stops here.
    /// </summary>
    public async Task WaitUntilCountAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Count() < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the SMTP server has {Count()} message(s) after {timeout.TotalSeconds:F0} s, expected {count}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Messages received so far.</summary>
    public int Count()
    {
        var folder = Path.Combine(Directory, "new");
        return System.IO.Directory.Exists(folder) ? System.IO.Directory.GetFiles(folder, "*.eml").Length : 0;
    }

    /// <summary>Debian's python3 with python3-aiosmtpd (the pyenv python3 on PATH does not have it).</summary>
    private static string PythonWithAiosmtpd()
    {
        var configured = Environment.GetEnvironmentVariable("AIOSMTPD_PYTHON");
        var python = !string.IsNullOrEmpty(configured) ? configured : "/usr/bin/python3";
        if (!File.Exists(python) || !File.Exists("/usr/lib/python3/dist-packages/aiosmtpd/__init__.py") && string.IsNullOrEmpty(configured))
        {
            throw new InvalidOperationException(
                "python3-aiosmtpd is not installed. Run scripts/test.sh, which installs it from Debian's packages, or set AIOSMTPD_PYTHON to a python with aiosmtpd.");
        }

        return python;
    }

    private async Task WaitUntilGreetsAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var buffer = new byte[64];
        while (true)
        {
            if (_process is { HasExited: true })
            {
                throw new OperationCanceledException("the SMTP server exited");
            }

            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(Host, Port, deadline.Token);
                if (_security is { ImplicitTls: true })
                {
                    // The server waits for a TLS hello before it greets; accepting the connection is enough.
                    return;
                }

                var read = await tcp.GetStream().ReadAsync(buffer, deadline.Token);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("220", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                // Not listening yet.
            }

            await Task.Delay(20, deadline.Token);
        }
    }
}
