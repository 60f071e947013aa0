namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>diode</c> section: the supervised Diode client (DESIGN.md §5, §10).</summary>
public sealed class DiodeOptions
{
    /// <summary>Run and supervise the Diode client.</summary>
    public bool Enabled { get; set; }

    /// <summary>The client binary: a path, or a name looked up on PATH.</summary>
    public string Path { get; set; } = "diode";

    /// <summary>public, protected or private.</summary>
    public DiodeMode Mode { get; set; } = DiodeMode.Protected;

    /// <summary>Published ports as <c>local:remote</c>; empty means the agent's own port to 80.</summary>
    public List<string> Ports { get; set; } = [];

    /// <summary>Fleet contract address (0x + 40 hex).</summary>
    public string? Fleet { get; set; }

    /// <summary>Addresses allowed to connect in private mode.</summary>
    public List<string> Allow { get; set; } = [];

    /// <summary>The client's own database (its key and fleet); null lets the client choose.</summary>
    public string? DbPath { get; set; }

    /// <summary>Extra global flags passed to the client before <c>publish</c>.</summary>
    public List<string> ExtraArgs { get; set; } = [];
}
