using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WeDrawOS.Services.Notifications;

namespace WeDrawOS.Services.Sms.Twilio;

/// <summary>
/// Twilio Messages API (<c>POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json</c>), a typed HttpClient.
/// Free text: every kind is sent as its rendered text.
/// </summary>
public sealed class TwilioSmsProvider(HttpClient http, IOptions<TwilioOptions> options, TimeProvider time) : ISmsProvider
{
    public const string ProviderName = "twilio";

    // Twilio error codes that are about the message or the recipient, so no other provider would do better.
    // https://www.twilio.com/docs/api/errors
    private static readonly HashSet<int> PermanentCodes =
    [
        21211, // invalid 'To' number
        21214, // 'To' number cannot be reached
        21217, // phone number does not appear to be valid
        21408, // permission to send to this region not enabled
        21610, // recipient unsubscribed (replied STOP)
        21612, // 'To' number is not reachable through this sender
        21614, // 'To' number is not a valid mobile number
        21617, // body exceeds the maximum length
        21619, // body required
    ];

    public string Name => ProviderName;

    public bool Supports(string kind, string language) => true;

    public async Task<SendOutcome> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var form = new List<KeyValuePair<string, string>> { new("To", message.To), new("Body", message.Text) };
        form.Add(string.IsNullOrWhiteSpace(o.MessagingServiceSid)
            ? new("From", o.From ?? "")
            : new("MessagingServiceSid", o.MessagingServiceSid));

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(o.BaseUri, $"2010-04-01/Accounts/{Uri.EscapeDataString(o.AccountSid ?? "")}/Messages.json"))
        {
            Content = new FormUrlEncodedContent(form),
        };
        request.Headers.Authorization = TwilioBasicAuth.Header(o.AccountSid ?? "", o.AuthToken ?? "");

        using var response = await http.SendAsync(request, cancellationToken);
        var body = await ReadJsonAsync(response, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            var sid = body is { } ok && ok.TryGetProperty("sid", out var s) ? s.GetString() : null;
            return sid is null
                ? SendOutcome.Transient(Name, $"twilio answered {(int)response.StatusCode} without a message sid")
                : SendOutcome.Sent(Name, sid);
        }

        var code = body is { } b && b.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0;
        var text = body is { } e && e.TryGetProperty("message", out var m) ? m.GetString() : null;
        var error = $"twilio {(int)response.StatusCode} {(code == 0 ? "" : code + " ")}{ProviderErrorText.Redact(text) ?? response.ReasonPhrase}".TrimEnd();

        if (response.StatusCode == HttpStatusCode.TooManyRequests || code == 20429)
        {
            return SendOutcome.Transient(Name, error, RetryAfterHeader.Read(response.Headers, time) ?? TimeSpan.FromSeconds(1));
        }

        return PermanentCodes.Contains(code) ? SendOutcome.Permanent(Name, error) : SendOutcome.Transient(Name, error);
    }

    private static async Task<JsonElement?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
