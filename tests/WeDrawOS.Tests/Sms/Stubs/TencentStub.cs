using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WeDrawOS.Services.Sms.Tencent;

namespace WeDrawOS.Tests.Sms.Stubs;

/// <summary>
/// Tencent Cloud SMS API 3.0 <c>SendSms</c> (2021-01-11): recomputes the TC3-HMAC-SHA256 signature from the
/// received headers and body bytes, refuses a stale timestamp, and answers with Tencent's bodies
/// (<c>Response.SendStatusSet</c> per number, or <c>Response.Error</c>).
/// </summary>
public sealed class TencentStub : ProviderStub
{
    public const string SecretId = "AKIDtestSecretId0123456789";
    public const string SecretKey = "tencent-test-secret-key";
    public const string SdkAppId = "1400006666";
    public const string SignName = "腾讯云测试";
    public const string VerificationTemplate = "449739";
    public const string NotificationTemplate = "449740";

    public TencentSmsOptions Options(string secret = SecretKey, string? customTemplate = null) => new()
    {
        SecretId = SecretId,
        SecretKey = secret,
        SdkAppId = SdkAppId,
        SignName = SignName,
        VerificationCodeTemplate = VerificationTemplate,
        NotificationTemplate = NotificationTemplate,
        CustomTemplate = customTemplate,
        Endpoint = BaseUrl.ToString(),
    };

    public override Dictionary<string, string> Settings() => new()
    {
        ["TENCENT_SECRET_ID"] = SecretId,
        ["TENCENT_SECRET_KEY"] = SecretKey,
        ["TENCENT_SMS_SDK_APP_ID"] = SdkAppId,
        ["TENCENT_SMS_SIGN_NAME"] = SignName,
        ["TENCENT_SMS_TEMPLATE_VERIFICATION_CODE"] = VerificationTemplate,
        ["TENCENT_SMS_TEMPLATE_NOTIFICATION"] = NotificationTemplate,
        ["TENCENT_SMS_ENDPOINT"] = BaseUrl.ToString(),
    };

    protected override async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var payload = await reader.ReadToEndAsync();
        var requestId = Guid.NewGuid().ToString("D");

        var timestampText = request.Headers["X-TC-Timestamp"].ToString();
        if (!long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp) > 300)
        {
            CountRejected();
            await Error(context, "AuthFailure.SignatureExpire", "Signature expired. Timestamp and server time cannot differ by more than five minutes.", requestId);
            return;
        }

        var expected = TencentTc3Signer.Authorization(SecretId, SecretKey, timestamp, "sms", request.ContentType ?? "", request.Host.Value ?? "", payload);
        if (request.Headers.Authorization.ToString() != expected)
        {
            CountRejected();
            await Error(context, "AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.", requestId);
            return;
        }

        if (request.Headers["X-TC-Action"] != "SendSms" || request.Headers["X-TC-Version"] != "2021-01-11")
        {
            await Error(context, "InvalidAction", "The requested action does not exist.", requestId);
            return;
        }

        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        var phone = root.GetProperty("PhoneNumberSet")[0].GetString()!;
        var session = root.TryGetProperty("SessionContext", out var s) ? s.GetString() : "";
        if (root.GetProperty("SmsSdkAppId").GetString() != SdkAppId)
        {
            await Error(context, "UnauthorizedOperation.SmsSdkAppIdVerifyFail", "SmsSdkAppId verification failed.", requestId);
            return;
        }

        var templateParams = root.GetProperty("TemplateParamSet").EnumerateArray().Select(p => p.GetString()!).ToList();
        Accepted.Enqueue(new StubRequest(phone, null, root.GetProperty("TemplateId").GetString(), templateParams));
        switch (Answer)
        {
            case StubAnswer.Accept:
                await Status(context, phone, session, "Ok", "send success", 1, requestId);
                break;
            case StubAnswer.InvalidNumber:
                await Status(context, phone, session, "InvalidParameterValue.IncorrectPhoneNumber", "invalid mobile number", 0, requestId);
                break;
            case StubAnswer.BadTemplate:
                await Error(context, "FailedOperation.TemplateIncorrectOrUnapproved", "template is not approved or request content does not match the approved template content", requestId);
                break;
            case StubAnswer.Throttle:
                await Status(context, phone, session, "LimitExceeded.PhoneNumberThirtySecondLimit", "the number of SMS messages sent from a single mobile number within 30 seconds exceeds the upper limit", 0, requestId);
                break;
            case StubAnswer.ServerError:
                await Error(context, "InternalError.Timeout", "request timed out, please try again later", requestId);
                break;
            case StubAnswer.Hang:
                await HangAsync(context);
                break;
        }
    }

    private static Task Status(HttpContext context, string phone, string? session, string code, string message, int fee, string requestId) =>
        JsonAsync(context, 200, JsonSerializer.Serialize(new
        {
            Response = new
            {
                SendStatusSet = new[]
                {
                    new { SerialNo = code == "Ok" ? "5000:" + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(CultureInfo.InvariantCulture) : "", PhoneNumber = phone, Fee = fee, SessionContext = session, Code = code, Message = message, IsoCode = "CN" },
                },
                RequestId = requestId,
            },
        }));

    private static Task Error(HttpContext context, string code, string message, string requestId) =>
        JsonAsync(context, 200, JsonSerializer.Serialize(new { Response = new { Error = new { Code = code, Message = message }, RequestId = requestId } }));
}
