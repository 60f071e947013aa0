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

    /// <summary>First delay before restarting a client that exited; doubles (with jitter) up to <see cref="RestartCeiling"/>.</summary>
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between restarts. An unattended Pi never gives up.</summary>
    public TimeSpan RestartCeiling { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A client that ran this long before exiting starts the backoff from the beginning again.</summary>
    public TimeSpan StableAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>On shutdown, SIGKILL follows SIGTERM after this long.</summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A client that is not validated (BlockQuick) this long after starting or disconnecting is restarted (diode_client #77, #268, #271).</summary>
    public TimeSpan RevalidateTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>When set, a client offline this long makes the agent unhealthy (and stops the watchdog petting); null: an offline Pi is still a healthy Pi.</summary>
    public TimeSpan? UnhealthyWhenOfflineFor { get; set; }
}
