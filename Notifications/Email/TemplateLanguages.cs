namespace WeDrawOS.Notifications.Email;

/// <summary>The languages templates exist in: Chinese (the default) and English.</summary>
public static class TemplateLanguages
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    public static readonly string[] All = [Chinese, English];

    /// <summary>
    /// The template language for a requested one: empty or any <c>zh</c> variant is Chinese, any <c>en</c>
    /// variant English; null for anything else.
    /// </summary>
    public static string? Normalize(string? language)
    {
        if (string.IsNullOrWhiteSpace(language))
        {
            return Chinese;
        }

        var primary = language.Trim().Split('-', '_')[0].ToLowerInvariant();
        return primary switch
        {
            "zh" => Chinese,
            "en" => English,
            _ => null,
        };
    }
}
