using System.Diagnostics.CodeAnalysis;
using MimeKit;

namespace WeDrawOS.Notifications.Email;

/// <summary>
/// Validates and normalises recipient addresses with MimeKit's parser. Only a bare address is accepted
/// (<c>alice@example.com</c>, no display name, no list); control characters such as CR/LF are refused outright,
/// so nothing a caller sends can become an extra header.
/// </summary>
public static class EmailAddresses
{
    private const int MaxLength = 254;

    private static readonly ParserOptions Strict = CreateStrictOptions();

    /// <summary>The normalised (trimmed, lower-case) address, or an error that says what is wrong.</summary>
    public static bool TryNormalize(string? text, [NotNullWhen(true)] out string? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            error = "an e-mail address is required";
            return false;
        }

        if (trimmed.Any(char.IsControl))
        {
            error = "an e-mail address must not contain line breaks or control characters";
            return false;
        }

        if (trimmed.Length > MaxLength)
        {
            error = $"an e-mail address has at most {MaxLength} characters";
            return false;
        }

        if (!MailboxAddress.TryParse(Strict, trimmed, out var mailbox)
            || !string.IsNullOrEmpty(mailbox.Name)
            || mailbox.Route.Count > 0
            || !string.Equals(mailbox.Address, trimmed, StringComparison.Ordinal)
            || trimmed.Any(char.IsWhiteSpace))
        {
            error = $"'{trimmed}' is not a valid e-mail address";
            return false;
        }

        var at = trimmed.LastIndexOf('@');
        var domain = at > 0 ? trimmed[(at + 1)..] : "";
        if (at <= 0 || domain.Length == 0 || !domain.Contains('.', StringComparison.Ordinal) || domain.StartsWith('.') || domain.EndsWith('.'))
        {
            error = $"'{trimmed}' is not a valid e-mail address (it needs a domain such as example.com)";
            return false;
        }

        address = trimmed.ToLowerInvariant();
        error = null;
        return true;
    }

    private static ParserOptions CreateStrictOptions()
    {
        var options = ParserOptions.Default.Clone();
        options.AllowAddressesWithoutDomain = false;
        options.AddressParserComplianceMode = RfcComplianceMode.Strict;
        return options;
    }
}
