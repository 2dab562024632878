using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace WeDrawOS.Configuration;

/// <summary>
/// Binds the properties marked with <see cref="ConfigurationKeyNameAttribute"/> from flat keys such as
/// <c>WS_MAX_CONNECTIONS</c>. Unlike the framework binder it does not throw on the first bad value:
/// it records each one by variable name, so a start-up with bad configuration says everything wrong at once.
/// </summary>
public static class SettingsBinder
{
    public static T Bind<T>(IConfiguration configuration, SettingsErrors errors) where T : new()
    {
        var target = new T();
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name;
            if (name is null || !property.CanWrite)
            {
                continue;
            }

            var raw = configuration[name];
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            if (TryConvert(raw.Trim(), property.PropertyType, out var value))
            {
                property.SetValue(target, value);
            }
            else
            {
                // Only non-string values can fail to convert, and no secret is a number or a flag,
                // so echoing the value here cannot leak one.
                errors.Add(name, $"'{raw}' is not {Describe(property.PropertyType)}");
            }
        }

        return target;
    }

    private static bool TryConvert(string raw, Type type, out object? value)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        value = null;
        if (underlying == typeof(string))
        {
            value = raw;
            return true;
        }

        if (underlying == typeof(int) && int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
        {
            value = i;
            return true;
        }

        if (underlying == typeof(long) && long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
        {
            value = l;
            return true;
        }

        if (underlying == typeof(double) && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            value = d;
            return true;
        }

        if (underlying == typeof(bool))
        {
            switch (raw.ToLowerInvariant())
            {
                case "true" or "1" or "yes" or "on":
                    value = true;
                    return true;
                case "false" or "0" or "no" or "off":
                    value = false;
                    return true;
            }
        }

        if (underlying.IsEnum && Enum.TryParse(underlying, raw.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var e)
            && Enum.IsDefined(underlying, e!))
        {
            value = e;
            return true;
        }

        return false;
    }

    private static string Describe(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(underlying).Select(n => n.ToLowerInvariant()));
        }

        return underlying == typeof(bool) ? "true or false"
            : underlying == typeof(double) ? "a number"
            : "a whole number";
    }
}
