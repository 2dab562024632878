using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Users;

namespace WeDrawOS.Grains.Realtime;

/// <summary>
/// One web front's lease and the users with connections on it, in memory only. One timer per front (instead of one
/// per user) ends the lease when the front stops renewing and tells those users the front is gone.
/// </summary>
public sealed partial class FrontLeaseGrain(IClusterMembershipService membership, TimeProvider time, ILogger<FrontLeaseGrain> logger) : Grain, IFrontLeaseGrain
{
    private readonly HashSet<string> _users = new(StringComparer.Ordinal);
    private DateTimeOffset? _expires;
    private IGrainTimer? _expiryTimer;

    // Starts true: a fresh activation knows none of the front's users, so the front's next renewal re-sends them.
    private bool _lostUsers = true;
    private MembershipVersion? _membershipVersion;

    private string FrontId => this.GetPrimaryKeyString();

    public Task<LeaseRenewal> Renew(TimeSpan lease)
    {
        _expires = time.GetUtcNow() + lease;

        // Checked every half lease: with leases of 1.25 ping intervals renewed every half interval, a dead front's
        // users are told at most 1.875 intervals after its last renewal.
        _expiryTimer ??= this.RegisterGrainTimer(ExpireAsync, new GrainTimerCreationOptions(lease / 2, lease / 2) { KeepAlive = true });

        var version = membership.CurrentSnapshot.Version;
        var resync = _lostUsers || (_membershipVersion is { } seen && seen != version);
        _lostUsers = false;
        _membershipVersion = version;
        return Task.FromResult(new LeaseRenewal(resync));
    }

    public Task Track(string userId)
    {
        _users.Add(userId);
        return Task.CompletedTask;
    }

    public Task Untrack(string userId)
    {
        _users.Remove(userId);
        return Task.CompletedTask;
    }

    private Task ExpireAsync(CancellationToken cancellationToken)
    {
        if (_expires > time.GetUtcNow())
        {
            return Task.CompletedTask;
        }

        LogFrontGone(logger, FrontId, _users.Count);

        // One-way calls: a user grain awaits Track on this grain, so this grain must never wait on a user grain.
        foreach (var user in _users)
        {
            _ = GrainFactory.GetGrain<IUserGrain>(user).FrontGone(FrontId);
        }

        _users.Clear();
        _expires = null;
        _lostUsers = true;
        _expiryTimer?.Dispose();
        _expiryTimer = null;
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Front {FrontId} stopped renewing its lease; {Count} user(s) lose its connections")]
    private static partial void LogFrontGone(ILogger logger, string frontId, int count);
}
