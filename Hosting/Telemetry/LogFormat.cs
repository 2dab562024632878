namespace WeDrawOS.Hosting.Telemetry;

/// <summary>How console log lines are written (<c>LOG_FORMAT</c>).</summary>
public enum LogFormat
{
    /// <summary>ASP.NET Core's plain console lines, for people.</summary>
    Text,

    /// <summary>One JSON object per line (timestamp, level, category, message, the message's fields), for log shippers.</summary>
    Json,
}
