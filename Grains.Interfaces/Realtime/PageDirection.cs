namespace WeDrawOS.Grains.Interfaces.Realtime;

/// <summary>Which way a read of a message log goes from its bound seq.</summary>
[GenerateSerializer, Alias("wedrawos.PageDirection")]
public enum PageDirection
{
    /// <summary>Messages before the bound, the newest of them (<c>history</c> with or without <c>before</c>).</summary>
    Backward = 0,

    /// <summary>Messages after the bound, the oldest of them (<c>history</c> with <c>after</c>, <c>inbox</c>, <c>join</c> with <c>since</c>).</summary>
    Forward = 1,
}
