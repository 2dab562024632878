namespace WeDrawOS.Grains.Realtime;

/// <summary>The persisted part of <see cref="FrontRegistrations"/>: the fronts by id.</summary>
[GenerateSerializer, Alias("wedrawos.RegisteredFronts")]
public sealed class RegisteredFronts
{
    [Id(0)]
    public Dictionary<string, RegisteredFront> Fronts { get; set; } = new(StringComparer.Ordinal);
}
