using System.Security.Cryptography;
using System.Text;
using WeDrawOS.Grains.Interfaces.Verification;
using WeDrawOS.Notifications.Verification;

namespace WeDrawOS.Grains.Verification;

/// <summary>
/// The rules of verification codes over a <see cref="VerificationState"/>, apart from the grain so they can be
/// checked with a hand-moved clock: 6 digits from a cryptographic RNG, a salted hash only, expiry, a limit on wrong
/// guesses, one-time use, constant-time comparison, re-issue replaces, and per-recipient issue rate limits.
/// </summary>
public sealed class VerificationBook(VerificationState state, VerificationOptions options, TimeProvider time)
{
    /// <summary>Purposes one recipient may hold codes for at once; keeps the state bounded.</summary>
    public const int MaxPurposes = 16;

    // An expired code is kept this long so that a late attempt hears "expired" rather than "invalid".
    private static readonly TimeSpan ExpiredKeptFor = TimeSpan.FromHours(1);

    /// <summary>How long until another code may be issued, or null when one may be issued now.</summary>
    public TimeSpan? RateLimitWait()
    {
        var now = time.GetUtcNow();
        Prune(now);
        TimeSpan? wait = null;
        foreach (var (window, limit) in new[] { (TimeSpan.FromMinutes(1), options.PerMinute), (TimeSpan.FromHours(1), options.PerHour), (TimeSpan.FromDays(1), options.PerDay) })
        {
            var inWindow = state.Issued.Where(t => t > now - window).OrderBy(t => t).ToList();
            if (inWindow.Count >= limit)
            {
                // The window admits another code when enough of the issues in it have aged out of it.
                var freedAt = inWindow[inWindow.Count - limit] + window;
                var candidate = freedAt - now;
                wait = wait is { } w && w >= candidate ? w : candidate;
            }
        }

        return wait;
    }

    /// <summary>Creates a new code for the purpose, replacing any previous one, and counts it for the rate limits. Returns the code to send.</summary>
    public string Issue(string purpose)
    {
        var now = time.GetUtcNow();
        Prune(now);
        if (!state.Codes.ContainsKey(purpose) && state.Codes.Count >= MaxPurposes)
        {
            var oldest = state.Codes.MinBy(kv => kv.Value.ExpiresAt).Key;
            state.Codes.Remove(oldest);
        }

        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var salt = RandomNumberGenerator.GetBytes(16);
        state.Codes[purpose] = new StoredCode { Salt = salt, Hash = Hash(salt, purpose, code), ExpiresAt = now + options.CodeLifetime };
        state.Issued.Add(now);
        return code;
    }

    /// <summary>Counts a code sent on behalf of the caller against the rate limits (see <see cref="IVerificationGrain.SendCallerCode"/>).</summary>
    public void CountIssue()
    {
        var now = time.GetUtcNow();
        Prune(now);
        state.Issued.Add(now);
    }

    /// <summary>Takes back the last <see cref="CountIssue"/> when the code could not be queued.</summary>
    public void UncountIssue()
    {
        if (state.Issued.Count > 0)
        {
            state.Issued.RemoveAt(state.Issued.Count - 1);
        }
    }

    /// <summary>Forgets a code issued by <see cref="Issue"/> that could not be queued, and its rate-limit entry.</summary>
    public void Withdraw(string purpose)
    {
        state.Codes.Remove(purpose);
        if (state.Issued.Count > 0)
        {
            state.Issued.RemoveAt(state.Issued.Count - 1);
        }
    }

    /// <summary>Checks a guess. A valid code is used up; a wrong one counts against the attempt limit.</summary>
    public VerifyCodeResult Verify(string purpose, string guess)
    {
        var now = time.GetUtcNow();
        Prune(now);
        if (!state.Codes.TryGetValue(purpose, out var stored))
        {
            return VerifyCodeResult.Invalid;
        }

        if (now >= stored.ExpiresAt)
        {
            return VerifyCodeResult.Expired;
        }

        if (stored.FailedAttempts >= options.MaxAttempts)
        {
            return VerifyCodeResult.TooManyAttempts;
        }

        if (CryptographicOperations.FixedTimeEquals(Hash(stored.Salt, purpose, guess), stored.Hash))
        {
            state.Codes.Remove(purpose);
            return VerifyCodeResult.Valid;
        }

        stored.FailedAttempts++;
        return VerifyCodeResult.Invalid;
    }

    private void Prune(DateTimeOffset now)
    {
        state.Issued.RemoveAll(t => t <= now - TimeSpan.FromDays(1));
        foreach (var purpose in state.Codes.Where(kv => kv.Value.ExpiresAt + ExpiredKeptFor <= now).Select(kv => kv.Key).ToList())
        {
            state.Codes.Remove(purpose);
        }
    }

    // The attempt limit is what protects a 6-digit code; the salted hash keeps codes out of stored state and dumps.
    private static byte[] Hash(byte[] salt, string purpose, string code) =>
        HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(purpose + "\n" + code.Trim()));
}
