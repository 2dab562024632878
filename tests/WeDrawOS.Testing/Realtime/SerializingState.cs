using Orleans.Storage;

namespace WeDrawOS.Tests.Realtime;

/// <summary>
/// A grain state in memory whose write runs a storage serializer, as the Redis storage does, and keeps the bytes; it
/// can be made to fail once. For what a grain's state costs to write and keep, without a storage server.
/// </summary>
public sealed class SerializingState<T>(IGrainStorageSerializer serializer) : IPersistentState<T>
    where T : new()
{
    public T State { get; set; } = new();

    /// <summary>What the last successful write stored.</summary>
    public BinaryData? Stored { get; private set; }

    /// <summary>Bytes of all successful writes.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Makes the next write fail (after serializing) with an <see cref="IOException"/>.</summary>
    public bool FailNextWrite { get; set; }

    public string? Etag => null;

    public bool RecordExists => Stored is not null;

    public Task ClearStateAsync() => throw new NotSupportedException();

    public Task ReadStateAsync() => throw new NotSupportedException();

    public Task WriteStateAsync()
    {
        var bytes = serializer.Serialize(State);
        if (FailNextWrite)
        {
            FailNextWrite = false;
            throw new IOException("storage unavailable");
        }

        Stored = bytes;
        BytesWritten += bytes.ToMemory().Length;
        return Task.CompletedTask;
    }
}
