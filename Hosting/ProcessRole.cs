namespace WeDrawOS.Hosting;

/// <summary>Which kind of process is starting: it decides the default HTTP port and whether a front hosts a silo.</summary>
public enum ProcessRole
{
    /// <summary>A silo process (<c>Silo/</c>): grains, plus health and the dashboard on an admin port.</summary>
    Silo,

    /// <summary>A web front (<c>WebFront/</c>): co-hosts a silo in embedded mode, is an Orleans client in cluster mode.</summary>
    Front,
}
