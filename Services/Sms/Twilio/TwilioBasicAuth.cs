using System.Net.Http.Headers;
using System.Text;

namespace WeDrawOS.Services.Sms.Twilio;

/// <summary>Twilio authenticates with HTTP Basic: the account SID as user name, the auth token as password.</summary>
public static class TwilioBasicAuth
{
    public static AuthenticationHeaderValue Header(string accountSid, string authToken) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(accountSid + ":" + authToken)));
}
