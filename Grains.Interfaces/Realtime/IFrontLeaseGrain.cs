namespace WeDrawOS.Grains.Interfaces.Realtime;

/// <summary>
/// The one lease of a web front (key: front id). The front renews it with one call per renewal period, whatever the
/// number of its sockets; user grains tell it which users have connections on the front. When the front stops
/// renewing (it died), the lease ends and each of those user grains is told with <c>IUserGrain.FrontGone</c>.
/// </summary>
public interface IFrontLeaseGrain : IGrainWithStringKey
{
    /// <summary>Extends the front's lease to <paramref name="lease"/> from now.</summary>
    Task<LeaseRenewal> Renew(TimeSpan lease);

    /// <summary>Called by a user grain when the front registers a connection of <paramref name="userId"/>.</summary>
    Task Track(string userId);

    /// <summary>Called by a user grain when the front's last connection of <paramref name="userId"/> closed.</summary>
    Task Untrack(string userId);

    /// <summary>
    /// Called by a user grain that restored connections on the front from storage (a new activation): the user is
    /// tracked as by <see cref="Track"/>, and told <c>IUserGrain.FrontGone</c> at once when the front's lease has ended,
    /// or when it ends without a renewal, also if this lease grain's earlier activation (which kept its users in memory)
    /// was lost meanwhile.
    /// </summary>
    Task Restored(string userId);
}
