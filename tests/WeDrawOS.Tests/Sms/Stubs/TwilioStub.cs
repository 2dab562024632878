using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WeDrawOS.Services.Sms.Twilio;

namespace WeDrawOS.Tests.Sms.Stubs;

/// <summary>
/// Twilio's <c>POST /2010-04-01/Accounts/{sid}/Messages.json</c>: recomputes the Basic credentials and answers
/// with Twilio's message resource or its error body (<c>code</c>, <c>message</c>, <c>more_info</c>, <c>status</c>).
/// </summary>
public sealed class TwilioStub : ProviderStub
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string AuthToken = "twilio-test-auth-token";
    public const string From = "+15005550006";

    /// <summary>The <c>Retry-After</c> sent with 429 (seconds).</summary>
    public int RetryAfterSeconds { get; set; } = 7;

    public TwilioOptions Options(string authToken = AuthToken) => new()
    {
        AccountSid = AccountSid,
        AuthToken = authToken,
        From = From,
        BaseUrl = BaseUrl.ToString(),
    };

    public override Dictionary<string, string> Settings() => new()
    {
        ["TWILIO_ACCOUNT_SID"] = AccountSid,
        ["TWILIO_AUTH_TOKEN"] = AuthToken,
        ["TWILIO_FROM"] = From,
        ["TWILIO_BASE_URL"] = BaseUrl.ToString(),
    };

    protected override async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var expectedPath = $"/2010-04-01/Accounts/{AccountSid}/Messages.json";
        if (request.Method != "POST" || request.Path != expectedPath)
        {
            await JsonAsync(context, 404, """{"code":20404,"message":"The requested resource was not found","more_info":"https://www.twilio.com/docs/errors/20404","status":404}""");
            return;
        }

        if (request.Headers.Authorization.ToString() != TwilioBasicAuth.Header(AccountSid, AuthToken).ToString())
        {
            CountRejected();
            await JsonAsync(context, 401, """{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}""");
            return;
        }

        var form = await request.ReadFormAsync();
        var to = form["To"].ToString();
        var body = form["Body"].ToString();
        if (string.IsNullOrEmpty(to) || string.IsNullOrEmpty(body) || (string.IsNullOrEmpty(form["From"]) == string.IsNullOrEmpty(form["MessagingServiceSid"])))
        {
            await JsonAsync(context, 400, """{"code":21604,"message":"A 'To' phone number is required.","more_info":"https://www.twilio.com/docs/errors/21604","status":400}""");
            return;
        }

        Accepted.Enqueue(new StubRequest(to, body, null, [], string.IsNullOrEmpty(form["From"]) ? "service:" + form["MessagingServiceSid"] : "from:" + form["From"]));
        switch (Answer)
        {
            case StubAnswer.Accept:
                var sid = "SM" + Guid.NewGuid().ToString("N");
                await JsonAsync(context, 201, JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["account_sid"] = AccountSid,
                    ["api_version"] = "2010-04-01",
                    ["body"] = body,
                    ["date_created"] = "Thu, 24 Aug 2023 05:01:45 +0000",
                    ["direction"] = "outbound-api",
                    ["error_code"] = null,
                    ["error_message"] = null,
                    ["from"] = form["From"].ToString(),
                    ["messaging_service_sid"] = null,
                    ["num_media"] = "0",
                    ["num_segments"] = "1",
                    ["price"] = null,
                    ["price_unit"] = "USD",
                    ["sid"] = sid,
                    ["status"] = "queued",
                    ["to"] = to,
                    ["uri"] = $"/2010-04-01/Accounts/{AccountSid}/Messages/{sid}.json",
                }));
                break;
            case StubAnswer.InvalidNumber:
                await JsonAsync(context, 400, $$"""{"code":21211,"message":"Invalid 'To' Phone Number: {{to}}","more_info":"https://www.twilio.com/docs/errors/21211","status":400}""");
                break;
            case StubAnswer.BadTemplate:
                await JsonAsync(context, 400, """{"code":21617,"message":"The concatenated message body exceeds the 1600 character limit.","more_info":"https://www.twilio.com/docs/errors/21617","status":400}""");
                break;
            case StubAnswer.Throttle:
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await JsonAsync(context, 429, """{"code":20429,"message":"Too Many Requests","more_info":"https://www.twilio.com/docs/errors/20429","status":429}""");
                break;
            case StubAnswer.ServerError:
                await JsonAsync(context, 500, """{"code":20500,"message":"An internal server error has occurred","more_info":"https://www.twilio.com/docs/errors/20500","status":500}""");
                break;
            case StubAnswer.Hang:
                await HangAsync(context);
                break;
        }
    }
}
