using System.Diagnostics.Metrics;
using WeDrawOS.Grains.Interfaces.Verification;

namespace WeDrawOS.Grains.Verification;

/// <summary>Verification codes issued, refused by the rate limit, and checked (by result).</summary>
public sealed class VerificationMetrics
{
    public const string MeterName = "WeDrawOS.Verification";

    private readonly Counter<long> _issued;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _checked;

    public VerificationMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _issued = meter.CreateCounter<long>("codes.issued", "{code}", "Codes queued for sending (issued here or given by the caller)");
        _refused = meter.CreateCounter<long>("codes.refused", "{request}", "Code requests refused by the per-recipient rate limit");
        _checked = meter.CreateCounter<long>("codes.checked", "{check}", "Codes checked, by result (valid, invalid, expired, too_many_attempts)");
    }

    public void Issued() => _issued.Add(1);

    public void Refused() => _refused.Add(1);

    public void Checked(VerifyCodeResult result) => _checked.Add(1, new KeyValuePair<string, object?>("result", result switch
    {
        VerifyCodeResult.Valid => "valid",
        VerifyCodeResult.Invalid => "invalid",
        VerifyCodeResult.Expired => "expired",
        _ => "too_many_attempts",
    }));
}
