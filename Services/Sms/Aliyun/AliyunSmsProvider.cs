using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WeDrawOS.Grains.Interfaces.Notifications;
using WeDrawOS.Services.Notifications;

namespace WeDrawOS.Services.Sms.Aliyun;

/// <summary>
/// Aliyun Dysmsapi <c>SendSms</c> (Version 2017-05-25), RPC style, signed with HMAC-SHA1, a typed HttpClient.
/// Sends only approved templates: a kind without a configured template code is refused as permanent.
/// </summary>
public sealed class AliyunSmsProvider(HttpClient http, IOptions<AliyunSmsOptions> options, TimeProvider time) : ISmsProvider
{
    public const string ProviderName = "aliyun";

    // Codes about the message itself (https://help.aliyun.com/document_detail/101346.html): another provider
    // would refuse it too, or the caller must fix it.
    private static readonly HashSet<string> PermanentCodes = new(StringComparer.Ordinal)
    {
        "isv.MOBILE_NUMBER_ILLEGAL",
        "isv.MOBILE_COUNT_OVER_LIMIT",
        "isv.SMS_TEMPLATE_ILLEGAL",
        "isv.TEMPLATE_MISSING_PARAMETERS",
        "isv.INVALID_PARAMETERS",
        "isv.PARAM_LENGTH_LIMIT",
        "isv.PARAM_NOT_SUPPORT_URL",
        "isv.INVALID_JSON_PARAM",
        "isv.BLACK_KEY_CONTROL_LIMIT",
        "isv.DENY_IP_RANGE",
    };

    // Throttling: per number or per account flow control. Fail over now, retry later.
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "isv.BUSINESS_LIMIT_CONTROL",
        "isv.DAY_LIMIT_CONTROL",
        "Throttling",
        "Throttling.User",
        "Throttling.Api",
    };

    public string Name => ProviderName;

    public bool Supports(string kind, string language) => options.Value.TemplateFor(kind, language) is not null;

    public async Task<SendOutcome> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var template = o.TemplateFor(message.Kind, message.Language);
        if (template is null)
        {
            return SendOutcome.Permanent(Name, $"aliyun sends only templates and has none for '{message.Kind}' (set ALIYUN_SMS_TEMPLATE_{message.Kind.ToUpperInvariant()})");
        }

        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AccessKeyId"] = o.AccessKeyId ?? "",
            ["Action"] = "SendSms",
            ["Format"] = "JSON",
            ["RegionId"] = o.RegionId,
            ["SignatureMethod"] = "HMAC-SHA1",
            ["SignatureNonce"] = Guid.NewGuid().ToString("N"),
            ["SignatureVersion"] = "1.0",
            ["Timestamp"] = time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["Version"] = "2017-05-25",
            ["PhoneNumbers"] = AliyunNumber(message.To),
            ["SignName"] = o.SignName ?? "",
            ["TemplateCode"] = template,
            ["TemplateParam"] = JsonSerializer.Serialize(TemplateParam(message)),
            ["OutId"] = message.Id,
        };
        parameters["Signature"] = AliyunRpcSigner.Sign("POST", parameters, o.AccessKeySecret ?? "");

        using var request = new HttpRequestMessage(HttpMethod.Post, o.EndpointUri) { Content = new FormUrlEncodedContent(parameters) };
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await ReadJsonAsync(response, cancellationToken);
        var code = body?.Code;
        if (response.IsSuccessStatusCode && code == "OK")
        {
            return SendOutcome.Sent(Name, body!.BizId);
        }

        var error = $"aliyun {(int)response.StatusCode} {code ?? "(no code)"} {ProviderErrorText.Redact(body?.Message)}".TrimEnd();
        if (code is not null && ThrottlingCodes.Contains(code) || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return SendOutcome.Transient(Name, error, RetryAfterHeader.Read(response.Headers, time) ?? TimeSpan.FromSeconds(60));
        }

        return code is not null && PermanentCodes.Contains(code) ? SendOutcome.Permanent(Name, error) : SendOutcome.Transient(Name, error);
    }

    /// <summary>Aliyun wants mainland numbers without the country code and others as digits with it (no plus).</summary>
    public static string AliyunNumber(string e164) => e164.StartsWith("+86", StringComparison.Ordinal) ? e164[3..] : e164.TrimStart('+');

    /// <summary>The variables of the templates described in <see cref="AliyunSmsOptions"/>.</summary>
    public static Dictionary<string, string> TemplateParam(SmsMessage message) => message.Kind switch
    {
        NotificationKinds.VerificationCode => new() { ["code"] = message.Fields["code"] },
        NotificationKinds.Notification => new() { ["title"] = message.Fields["title"], ["content"] = message.Fields["content"] },
        _ => new() { ["content"] = message.Text },
    };

    private static async Task<AliyunResponse?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonSerializer.DeserializeAsync<AliyunResponse>(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record AliyunResponse(string? Code, string? Message, string? BizId, string? RequestId);
}
