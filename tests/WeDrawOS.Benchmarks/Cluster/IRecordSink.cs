namespace WeDrawOS.Benchmarks.Cluster;

/// <summary>Takes the records a <see cref="LoadSocket"/> receives once it is open (deliveries, acks, errors).</summary>
public interface IRecordSink
{
    /// <summary>Called on the socket's receive loop; must be quick and thread-safe (many sockets call at once).</summary>
    void OnRecord(LoadSocket socket, ReadOnlySpan<byte> record);
}
