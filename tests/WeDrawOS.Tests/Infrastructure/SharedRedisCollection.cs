namespace WeDrawOS.Tests.Infrastructure;

/// <summary>The tests that share one <see cref="SharedRedis"/> (xunit finds collection definitions in the test assembly only).</summary>
[CollectionDefinition(Name)]
public sealed class SharedRedisCollection : ICollectionFixture<SharedRedis>
{
    public const string Name = "shared redis";
}
