using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Services.Notifications;

namespace WeDrawOS.Services.Sms.Tencent;

/// <summary>
/// Tencent Cloud SMS API 3.0 <c>SendSms</c> (Version 2021-01-11), signed with TC3-HMAC-SHA256, a typed HttpClient.
/// Sends only approved templates; the status of the number comes from <c>SendStatusSet</c>.
/// </summary>
public sealed class TencentSmsProvider(HttpClient http, IOptions<TencentSmsOptions> options, TimeProvider time) : ISmsProvider
{
    public const string ProviderName = "tencent";
    public const string ContentType = "application/json; charset=utf-8";

    public string Name => ProviderName;

    public bool Supports(string kind, string language) => options.Value.TemplateFor(kind, language) is not null;

    public async Task<SendOutcome> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var template = o.TemplateFor(message.Kind, message.Language);
        if (template is null)
        {
            return SendOutcome.Permanent(Name, $"tencent sends only templates and has none for '{message.Kind}' (set TENCENT_SMS_TEMPLATE_{message.Kind.ToUpperInvariant()})");
        }

        var payload = JsonSerializer.Serialize(new
        {
            PhoneNumberSet = new[] { message.To },
            SmsSdkAppId = o.SdkAppId,
            SignName = o.SignName,
            TemplateId = template,
            TemplateParamSet = TemplateParams(message),
            SessionContext = message.Id,
        });
        var uri = o.EndpointUri;
        var host = uri.IsDefaultPort ? uri.Host : uri.Authority;
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();

        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(payload, Encoding.UTF8) };
        // Set as written, so the header sent is byte for byte the one signed.
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        request.Headers.TryAddWithoutValidation("Authorization", TencentTc3Signer.Authorization(o.SecretId ?? "", o.SecretKey ?? "", timestamp, "sms", ContentType, host, payload));
        request.Headers.Add("X-TC-Action", "SendSms");
        request.Headers.Add("X-TC-Version", "2021-01-11");
        request.Headers.Add("X-TC-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("X-TC-Region", o.Region);

        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return SendOutcome.Transient(Name, "tencent 429", RetryAfterHeader.Read(response.Headers, time) ?? TimeSpan.FromSeconds(1));
        }

        JsonElement root;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return SendOutcome.Transient(Name, $"tencent {(int)response.StatusCode} with an unreadable body");
        }

        if (!root.TryGetProperty("Response", out var body))
        {
            return SendOutcome.Transient(Name, $"tencent {(int)response.StatusCode} without a Response");
        }

        if (body.TryGetProperty("Error", out var apiError))
        {
            return Classify(Str(apiError, "Code"), Str(apiError, "Message"));
        }

        if (!body.TryGetProperty("SendStatusSet", out var set) || set.ValueKind != JsonValueKind.Array || set.GetArrayLength() == 0)
        {
            return SendOutcome.Transient(Name, "tencent answered without a SendStatusSet");
        }

        // One number per request, so the first status is ours.
        var status = set[0];
        var code = Str(status, "Code");
        return string.Equals(code, "Ok", StringComparison.Ordinal)
            ? SendOutcome.Sent(Name, Str(status, "SerialNo"))
            : Classify(code, Str(status, "Message"));
    }

    /// <summary>
    /// Maps a Tencent error code (https://www.tencentcloud.com/document/product/382/40719) to an outcome:
    /// limits are throttling, malformed numbers and unapproved templates permanent, the rest transient.
    /// </summary>
    public SendOutcome Classify(string? code, string? message)
    {
        code ??= "(no code)";
        var error = $"tencent {code} {ProviderErrorText.Redact(message)}".TrimEnd();
        if (code.StartsWith("LimitExceeded.", StringComparison.Ordinal) || code == "RequestLimitExceeded")
        {
            return SendOutcome.Transient(Name, error, code.Contains("Daily", StringComparison.Ordinal) ? TimeSpan.FromHours(1) : TimeSpan.FromSeconds(30));
        }

        return code switch
        {
            "InvalidParameterValue.IncorrectPhoneNumber"
                or "FailedOperation.TemplateIncorrectOrUnapproved"
                or "FailedOperation.SignatureIncorrectOrUnapproved"
                or "FailedOperation.PhoneNumberInBlacklist"
                or "FailedOperation.ContainSensitiveWord"
                or "FailedOperation.MissingTemplateToModify"
                or "InvalidParameterValue.TemplateParameterFormatError"
                or "InvalidParameterValue.TemplateParameterLengthLimit"
                or "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter"
                or "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber" => SendOutcome.Permanent(Name, error),
            _ => SendOutcome.Transient(Name, error),
        };
    }

    /// <summary>The ordered parameters of the templates described in <see cref="TencentSmsOptions"/>.</summary>
    public static string[] TemplateParams(SmsMessage message) => message.Kind switch
    {
        NotificationKinds.VerificationCode => [message.Fields["code"], message.Fields["expireMinutes"]],
        NotificationKinds.Notification => [message.Fields["title"], message.Fields["content"]],
        _ => [message.Text],
    };

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
