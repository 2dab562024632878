using WeDrawOS.Services.Sms.Aliyun;
using WeDrawOS.Services.Sms.Tencent;
using WeDrawOS.Services.Sms.Twilio;

namespace WeDrawOS.Tests.Sms;

/// <summary>The signing code against the providers' own published examples: fixed inputs, known outputs.</summary>
public sealed class SigningExampleTests
{
    // Aliyun SMS "SendSms" signature example, https://help.aliyun.com/document_detail/56189.html
    // (AccessKeyId testId, secret testSecret; the page gives the string to sign and the signature).
    private static readonly Dictionary<string, string> AliyunSmsExample = new()
    {
        ["AccessKeyId"] = "testId",
        ["Action"] = "SendSms",
        ["Format"] = "XML",
        ["OutId"] = "123",
        ["PhoneNumbers"] = "15300000001",
        ["RegionId"] = "cn-hangzhou",
        ["SignName"] = "阿里云短信测试专用",
        ["SignatureMethod"] = "HMAC-SHA1",
        ["SignatureNonce"] = "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        ["SignatureVersion"] = "1.0",
        ["TemplateCode"] = "SMS_71390007",
        ["TemplateParam"] = """{"customer":"test"}""",
        ["Timestamp"] = "2017-07-12T02:42:19Z",
        ["Version"] = "2017-05-25",
    };

    [Fact]
    public void Aliyun_signature_matches_the_published_SendSms_example()
    {
        Assert.Equal("zJDF+Lrzhj/ThnlvIToysFRq6t4=", AliyunRpcSigner.Sign("GET", AliyunSmsExample, "testSecret"));
    }

    [Fact]
    public void Aliyun_string_to_sign_matches_the_published_SendSms_example()
    {
        Assert.Equal(
            "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25",
            AliyunRpcSigner.StringToSign("GET", AliyunSmsExample));
    }

    [Fact]
    public void Aliyun_signature_matches_the_published_RPC_DescribeRegions_example()
    {
        // Aliyun RPC signature mechanism example (ECS DescribeRegions, AccessKeyId testid, secret testsecret).
        var parameters = new Dictionary<string, string>
        {
            ["AccessKeyId"] = "testid",
            ["Action"] = "DescribeRegions",
            ["Format"] = "XML",
            ["SignatureMethod"] = "HMAC-SHA1",
            ["SignatureNonce"] = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
            ["SignatureVersion"] = "1.0",
            ["Timestamp"] = "2016-02-23T12:46:24Z",
            ["Version"] = "2014-05-26",
        };

        Assert.Equal("OLeaidS1JvxuMvnyHOwuJ+uX5qY=", AliyunRpcSigner.Sign("GET", parameters, "testsecret"));
    }

    [Fact]
    public void Aliyun_signature_changes_with_the_secret_and_with_any_parameter()
    {
        var signature = AliyunRpcSigner.Sign("GET", AliyunSmsExample, "testSecret");
        var changed = new Dictionary<string, string>(AliyunSmsExample) { ["PhoneNumbers"] = "15300000002" };

        Assert.NotEqual(signature, AliyunRpcSigner.Sign("GET", AliyunSmsExample, "otherSecret"));
        Assert.NotEqual(signature, AliyunRpcSigner.Sign("GET", changed, "testSecret"));
        Assert.NotEqual(signature, AliyunRpcSigner.Sign("POST", AliyunSmsExample, "testSecret"));
    }

    // Tencent Cloud API 3.0 "Signature v3" example (CVM DescribeInstances, timestamp 1551113065,
    // SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE), https://www.tencentcloud.com/document/api/266/34114
    private const string TencentPayload = """{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}""";

    [Fact]
    public void Tencent_canonical_request_hashes_match_the_published_example()
    {
        var canonical = TencentTc3Signer.CanonicalRequest("application/json; charset=utf-8", "cvm.tencentcloudapi.com", TencentPayload);

        Assert.Equal("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064", TencentTc3Signer.Sha256Hex(TencentPayload));
        Assert.Equal("5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031", TencentTc3Signer.Sha256Hex(canonical));
    }

    [Fact]
    public void Tencent_signature_matches_the_published_example()
    {
        var stringToSign = TencentTc3Signer.StringToSign(1551113065, "cvm",
            TencentTc3Signer.CanonicalRequest("application/json; charset=utf-8", "cvm.tencentcloudapi.com", TencentPayload));

        Assert.Equal("TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031", stringToSign);
        Assert.Equal("72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
            TencentTc3Signer.Signature("Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", 1551113065, "cvm", stringToSign));
    }

    [Fact]
    public void Tencent_authorization_header_has_the_published_shape()
    {
        var header = TencentTc3Signer.Authorization("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", 1551113065, "cvm",
            "application/json; charset=utf-8", "cvm.tencentcloudapi.com", TencentPayload);

        Assert.Equal("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168", header);
    }

    [Fact]
    public void Twilio_basic_credentials_are_the_account_sid_and_auth_token()
    {
        // RFC 7617: base64("user:password").
        Assert.Equal("Basic QUN4eHg6dG9rZW4=", TwilioBasicAuth.Header("ACxxx", "token").ToString());
    }
}
