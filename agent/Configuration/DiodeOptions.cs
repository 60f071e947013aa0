using System.ComponentModel;
using Diode.Edge.Agent.Configuration.Validation;

namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>diode</c> section: the supervised Diode client (docs/diode-client.md).</summary>
internal sealed partial class DiodeOptions
{
    /// <summary>The client's default fleet: protected mode with it admits every caller (rpc/client.go IsDeviceAllowlisted).</summary>
    public const string DefaultFleet = "0x6000000000000000000000000000000000000000";

    /// <summary>
    /// Run and supervise the Diode client. null (the packaged default): on as soon as it would admit only whom the owner
    /// chose (a real <see cref="Fleet"/> in protected mode, an <see cref="Allow"/> list in private mode, or an explicit
    /// public mode), off until then. true: required, and a protected mode without a real fleet is a configuration error.
    /// </summary>
    [Description("Run the Diode client: null turns it on once fleet, allow or public mode say who may connect; true requires it; false turns it off.")]
    public bool? Enabled { get; set; }

    /// <summary>The client binary: a path, or a name looked up on PATH.</summary>
    [Description("The Diode client binary: a path, or a name looked up on PATH.")]
    public string Path { get; set; } = "diode";

    /// <summary>public, protected or private.</summary>
    [Description("Who may connect through the Diode network: public (anyone), protected (devices of diode.fleet) or private (the diode.allow addresses).")]
    public DiodeMode Mode { get; set; } = DiodeMode.Protected;

    /// <summary>Published ports as <c>local:remote</c>; empty means the agent's own port to 80.</summary>
    [Description("Published ports as [host:]local:remote; empty publishes 127.0.0.1:<consumerPort> as port 80.")]
    public List<string> Ports { get; set; } = [];

    /// <summary>Fleet contract address (0x + 40 hex). Not the default fleet <see cref="DefaultFleet"/>, which admits everyone.</summary>
    [Description("Your fleet contract address (0x and 40 hex digits); not the client's default fleet, which admits everyone.")]
    public string? Fleet { get; set; }

    /// <summary>Addresses allowed to connect in private mode.</summary>
    [Description("Diode addresses allowed to connect in private mode.")]
    public List<string> Allow { get; set; } = [];

    /// <summary>The client's own database (its key and fleet); null lets the client choose.</summary>
    [Description("The Diode client's own database (its key and fleet); null lets the client choose.")]
    public string? DbPath { get; set; }

    /// <summary>Extra global flags passed to the client before <c>publish</c>.</summary>
    [Description("Extra global flags passed to the client before publish; flags the agent owns (such as -dbpath, -fleet, -update) are refused.")]
    public List<string> ExtraArgs { get; set; } = [];

    /// <summary>
    /// The loopback port the Diode client's relayed connections arrive on (what the client publishes, 127.0.0.1 only):
    /// every connection there is from a remote device the client vouches for (<c>GET /connection-client-id</c>), and
    /// <c>streams.&lt;id&gt;.allow</c> applies. Separate from <c>http.port</c>, which stays for local tools.
    /// </summary>
    [Description("Loopback port the client's relayed connections arrive on; each connection is identified through the client before any HTTP is read.")]
    [TcpPort]
    public int ConsumerPort { get; set; } = 8081;

    /// <summary>The loopback port the Diode client serves its config API on (<c>-api -apiaddr=127.0.0.1:PORT</c>); 0: a free one, picked once at start.</summary>
    [Description("Loopback port of the client's config API (-apiaddr); 0 picks a free one at start.")]
    [TcpPort]
    public int ApiPort { get; set; }

    /// <summary>First delay before restarting a client that exited; doubles (with jitter) up to <see cref="RestartCeiling"/>.</summary>
    [Description("First delay before restarting a client that exited; it doubles, with jitter, up to restartCeiling.")]
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between restarts. An unattended Pi never gives up.</summary>
    [Description("Longest delay between restarts (the agent never gives up).")]
    public TimeSpan RestartCeiling { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A client that ran this long before exiting starts the backoff from the beginning again.</summary>
    [Description("A client that ran this long before exiting starts the restart backoff from the beginning again.")]
    public TimeSpan StableAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>On shutdown the client gets SIGINT, and SIGKILL after this long (DiodeSupervisor).</summary>
    [Description("On shutdown the client gets SIGINT, then SIGKILL after this long.")]
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A client that is not validated (BlockQuick) this long after starting or disconnecting is restarted (diode_client #77, #268, #271).</summary>
    [Description("A client not validated (BlockQuick) this long after starting or disconnecting is restarted.")]
    public TimeSpan RevalidateTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Pass <c>-debug</c>, the only way the client names each relay it adds to its pool (<c>Added relay#N … @ host</c>;
    /// it has no positive line at info level), so the supervisor counts connected relays exactly instead of guessing
    /// from failures. The client's debug lines go to the agent's log at Debug level only.
    /// </summary>
    [Description("Pass -debug, so the client names each relay it adds and the supervisor counts connected relays exactly (its debug lines are logged at Debug level).")]
    public bool TrackRelays { get; set; } = true;

    /// <summary>After this many starts in a row that failed on a stale BlockQuick window, the next start passes <c>-bqdowngrade</c> (a restart alone never cures it: the window lives in the client's DB).</summary>
    [Description("After this many starts in a row that failed on a stale BlockQuick window (1 to 100), the next start passes -bqdowngrade.")]
    [Within(1, 100, Unit = "failed starts")]
    public int BlockQuickDowngradeAfter { get; set; } = 3;

    /// <summary>How often the supervisor asks the client's config API for its state (and checks the end-to-end probe).</summary>
    [Description("How often the client's config API is asked for its state, from 1s to revalidateTimeout.")]
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>When set, a client offline this long makes the agent unhealthy (and stops the watchdog petting); null: an offline Pi is still a healthy Pi.</summary>
    [Description("A client offline this long makes the agent unhealthy (and stops the watchdog petting); null: an offline Pi is still healthy.")]
    public TimeSpan? UnhealthyWhenOfflineFor { get; set; }

    /// <summary>Whether the client runs: <see cref="Enabled"/>, or when it is null, whether the access rules the owner chose are complete.</summary>
    public bool IsOn() => Enabled ?? Mode switch
    {
        DiodeMode.Public => true,
        DiodeMode.Protected => IsRealFleet(Fleet),
        _ => Allow.Count > 0,
    };

    /// <summary>Why the client is off (for /health and the log), or null when it runs.</summary>
    public string? WhyOff() => IsOn() ? null : Enabled == false
        ? "disabled in config (diode.enabled: false)"
        : Mode == DiodeMode.Protected
            ? "off until diode.fleet names your fleet contract (protected mode with no fleet, or the default fleet, would admit anyone)"
            : "off until diode.allow lists the addresses that may connect (private mode)";

    /// <summary>A fleet address that is set and is not the default fleet.</summary>
    public static bool IsRealFleet(string? fleet) => !string.IsNullOrEmpty(fleet) && !string.Equals(fleet, DefaultFleet, StringComparison.OrdinalIgnoreCase);
}
