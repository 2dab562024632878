using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WeDrawOS.Services.Sms.Aliyun;

namespace WeDrawOS.Tests.Sms.Stubs;

/// <summary>
/// Aliyun Dysmsapi <c>SendSms</c> (RPC, 2017-05-25): recomputes the HMAC-SHA1 signature over the received
/// parameters, refuses a stale timestamp or a reused nonce as Aliyun does (a wrong signature with the string to sign in the message, as
/// Aliyun answers), and answers with Aliyun's bodies
/// (<c>Code</c> <c>OK</c> and <c>BizId</c>, or an <c>isv.*</c> / <c>isp.*</c> code).
/// </summary>
public sealed class AliyunStub : ProviderStub
{
    public const string AccessKeyId = "LTAI5tTestAccessKeyId";
    public const string AccessKeySecret = "aliyun-test-access-key-secret";
    public const string SignName = "阿里云短信测试";
    public const string VerificationTemplate = "SMS_154950909";
    public const string NotificationTemplate = "SMS_154950910";

    private readonly ConcurrentDictionary<string, bool> _nonces = new();

    public AliyunSmsOptions Options(string secret = AccessKeySecret, string? customTemplate = null) => new()
    {
        AccessKeyId = AccessKeyId,
        AccessKeySecret = secret,
        SignName = SignName,
        VerificationCodeTemplate = VerificationTemplate,
        NotificationTemplate = NotificationTemplate,
        CustomTemplate = customTemplate,
        Endpoint = BaseUrl.ToString(),
    };

    public override Dictionary<string, string> Settings() => new()
    {
        ["ALIYUN_ACCESS_KEY_ID"] = AccessKeyId,
        ["ALIYUN_ACCESS_KEY_SECRET"] = AccessKeySecret,
        ["ALIYUN_SMS_SIGN_NAME"] = SignName,
        ["ALIYUN_SMS_TEMPLATE_VERIFICATION_CODE"] = VerificationTemplate,
        ["ALIYUN_SMS_TEMPLATE_NOTIFICATION"] = NotificationTemplate,
        ["ALIYUN_SMS_ENDPOINT"] = BaseUrl.ToString(),
    };

    protected override async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            parameters[key] = value.ToString();
        }

        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync())
            {
                parameters[key] = value.ToString();
            }
        }

        var requestId = RequestId();
        var expected = AliyunRpcSigner.Sign(request.Method, parameters, AccessKeySecret);
        if (Get(parameters, "AccessKeyId") != AccessKeyId)
        {
            CountRejected();
            await JsonAsync(context, 404, $$"""{"RequestId":"{{requestId}}","HostId":"dysmsapi.aliyuncs.com","Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found."}""");
            return;
        }

        if (Get(parameters, "Signature") != expected || Get(parameters, "SignatureMethod") != "HMAC-SHA1" || Get(parameters, "SignatureVersion") != "1.0")
        {
            CountRejected();
            await JsonAsync(context, 400, $$"""{"RequestId":"{{requestId}}","HostId":"dysmsapi.aliyuncs.com","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation. server string to sign is:{{AliyunRpcSigner.StringToSign(request.Method, parameters)}}"}""");
            return;
        }

        if (!DateTimeOffset.TryParseExact(Get(parameters, "Timestamp"), "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp)
            || (DateTimeOffset.UtcNow - timestamp).Duration() > TimeSpan.FromMinutes(15))
        {
            CountRejected();
            await JsonAsync(context, 400, $$"""{"RequestId":"{{requestId}}","HostId":"dysmsapi.aliyuncs.com","Code":"InvalidTimeStamp.Expired","Message":"Specified time stamp or date value is expired."}""");
            return;
        }

        if (!_nonces.TryAdd(Get(parameters, "SignatureNonce") ?? "", true))
        {
            CountRejected();
            await JsonAsync(context, 400, $$"""{"RequestId":"{{requestId}}","HostId":"dysmsapi.aliyuncs.com","Code":"SignatureNonceUsed","Message":"Specified signature nonce was used already."}""");
            return;
        }

        if (Get(parameters, "Action") != "SendSms" || Get(parameters, "Version") != "2017-05-25")
        {
            await JsonAsync(context, 404, $$"""{"RequestId":"{{requestId}}","HostId":"dysmsapi.aliyuncs.com","Code":"InvalidAction.NotFound","Message":"Specified api is not found, please check your url and method."}""");
            return;
        }

        var templateParams = new List<string>();
        if (Get(parameters, "TemplateParam") is { } json)
        {
            templateParams.AddRange(JsonSerializer.Deserialize<Dictionary<string, string>>(json)!.Select(kv => $"{kv.Key}={kv.Value}"));
        }

        Accepted.Enqueue(new StubRequest(Get(parameters, "PhoneNumbers") ?? "", null, Get(parameters, "TemplateCode"), templateParams));
        switch (Answer)
        {
            case StubAnswer.Accept:
                await JsonAsync(context, 200, $$"""{"Message":"OK","RequestId":"{{requestId}}","Code":"OK","BizId":"{{Random.Shared.NextInt64(100_000_000_000, 999_999_999_999)}}^0"}""");
                break;
            case StubAnswer.InvalidNumber:
                await JsonAsync(context, 200, $$"""{"Message":"{{Get(parameters, "PhoneNumbers")}}invalidate","RequestId":"{{requestId}}","Code":"isv.MOBILE_NUMBER_ILLEGAL"}""");
                break;
            case StubAnswer.BadTemplate:
                await JsonAsync(context, 200, $$"""{"Message":"模板不合法(不存在或被拉黑)","RequestId":"{{requestId}}","Code":"isv.SMS_TEMPLATE_ILLEGAL"}""");
                break;
            case StubAnswer.Throttle:
                await JsonAsync(context, 200, $$"""{"Message":"触发小时级流控Permits:5","RequestId":"{{requestId}}","Code":"isv.BUSINESS_LIMIT_CONTROL"}""");
                break;
            case StubAnswer.ServerError:
                await JsonAsync(context, 200, $$"""{"Message":"RAM权限DENY","RequestId":"{{requestId}}","Code":"isp.SYSTEM_ERROR"}""");
                break;
            case StubAnswer.Hang:
                await HangAsync(context);
                break;
        }
    }

    private static string? Get(Dictionary<string, string> parameters, string name) => parameters.TryGetValue(name, out var value) ? value : null;
}
