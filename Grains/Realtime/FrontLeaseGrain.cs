using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using WeDrawOS.Grains.Interfaces.Realtime;
using WeDrawOS.Grains.Interfaces.Storage;
using WeDrawOS.Grains.Interfaces.Users;

namespace WeDrawOS.Grains.Realtime;

/// <summary>
/// One web front's lease and the users with connections on it. One timer per front (instead of one per user) ends the
/// lease when the front stops renewing and tells those users the front is gone. The users are kept in memory; the lease
/// is stored (written when it starts, changes or ends), so that a new activation ends the lease of a front that died
/// while this grain moved: user grains that restore the front's connections tell it (<see cref="Restored"/>).
/// </summary>
public sealed partial class FrontLeaseGrain(
    [PersistentState("lease", StorageNames.Realtime)] IPersistentState<FrontLeaseState> state,
    IClusterMembershipService membership,
    TimeProvider time,
    ILogger<FrontLeaseGrain> logger) : Grain, IFrontLeaseGrain
{
    private readonly HashSet<string> _users = new(StringComparer.Ordinal);
    private DateTimeOffset? _expires;
    private IGrainTimer? _expiryTimer;

    // Starts true: a fresh activation knows none of the front's users, so the front's next renewal re-sends them.
    private bool _lostUsers = true;
    private MembershipVersion? _membershipVersion;

    private string FrontId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State is { Lease: { } lease, Ended: false })
        {
            // The front renewed an earlier activation: alive, it renews this one within its lease; dead, the users that
            // restore its connections are told when the lease ends.
            StartLease(lease);
        }

        return Task.CompletedTask;
    }

    public async Task<LeaseRenewal> Renew(TimeSpan lease)
    {
        StartLease(lease);
        var version = membership.CurrentSnapshot.Version;
        var resync = _lostUsers || (_membershipVersion is { } seen && seen != version);
        _lostUsers = false;
        _membershipVersion = version;
        if (state.State.Lease != lease || state.State.Ended)
        {
            state.State.Lease = lease;
            state.State.Ended = false;
            try
            {
                await state.WriteStateAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The renewal stands (the lease runs in memory); the next one writes again. Only a front that dies
                // while this activation is lost needs the stored lease.
                state.State.Lease = null;
                LogLeaseNotStored(logger, FrontId, e);
            }
        }

        return new LeaseRenewal(resync);
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

    public Task Restored(string userId)
    {
        if (state.State.Ended)
        {
            _ = GrainFactory.GetGrain<IUserGrain>(userId).FrontGone(FrontId);
        }
        else
        {
            _users.Add(userId);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Runs the lease for <paramref name="lease"/> from now. Checked every half lease: with leases of 1.25 ping intervals
    /// renewed every half interval, a dead front's users are told at most 1.875 intervals after its last renewal.
    /// </summary>
    private void StartLease(TimeSpan lease)
    {
        _expires = time.GetUtcNow() + lease;
        _expiryTimer ??= this.RegisterGrainTimer(ExpireAsync, new GrainTimerCreationOptions(lease / 2, lease / 2) { KeepAlive = true });
    }

    private async Task ExpireAsync(CancellationToken cancellationToken)
    {
        if (_expires > time.GetUtcNow())
        {
            return;
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
        state.State.Ended = true;
        await state.WriteStateAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Front {FrontId}: storing its lease failed; the next renewal tries again")]
    private static partial void LogLeaseNotStored(ILogger logger, string frontId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Front {FrontId} stopped renewing its lease; {Count} user(s) lose its connections")]
    private static partial void LogFrontGone(ILogger logger, string frontId, int count);
}
