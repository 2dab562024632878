namespace WeDrawOS.Hosting.ServiceManagement;

/// <summary>
/// Supplies one field of <c>/api/status</c> (for example <c>silos</c> or <c>cacheMode</c>), so that each
/// feature reports its own figures without the endpoint knowing about it.
/// </summary>
public interface IStatusSource
{
    /// <summary>The JSON property name in the status document.</summary>
    string Name { get; }

    ValueTask<object?> ReadAsync(CancellationToken cancellationToken);
}
