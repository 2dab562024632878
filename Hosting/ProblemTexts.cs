namespace WeDrawOS.Hosting;

/// <summary>
/// Problem details are for people too: Chinese first, then English (<c>中文 / English</c>), like the socket's
/// <c>error</c> frames. A detail written in English only (a validator's message, the framework's own title) is led by
/// the Chinese meaning of its <c>code</c>; the <c>code</c> itself never changes.
/// </summary>
public static class ProblemTexts
{
    public static string Bilingual(string code, string? detail)
    {
        if (detail is not null && detail.Any(IsChinese))
        {
            return detail;
        }

        var chinese = code switch
        {
            "bad_request" => "请求无效",
            "unauthorized" => "未通过身份验证",
            "forbidden" => "没有权限",
            "not_found" => "未找到",
            "too_large" => "请求过大",
            "rate_limited" => "请求过于频繁，请稍后再试",
            "unavailable" => "服务暂不可用，请稍后再试",
            "invalid" => "验证码无效",
            "expired" => "验证码已过期，请重新获取",
            "too_many_attempts" => "验证码错误次数过多，请重新获取",
            _ => "服务器内部错误",
        };
        return string.IsNullOrWhiteSpace(detail) ? chinese : $"{chinese} / {detail}";
    }

    private static bool IsChinese(char c) => c is >= '\u4E00' and <= '\u9FFF';
}
