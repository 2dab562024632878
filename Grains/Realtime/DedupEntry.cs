namespace WeDrawOS.Grains.Realtime;

/// <summary>A client id already accepted (key = sender + client id) and the seq it got.</summary>
[GenerateSerializer, Alias("wedrawos.DedupEntry")]
public sealed record DedupEntry([property: Id(0)] string Key, [property: Id(1)] long Seq);
