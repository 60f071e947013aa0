namespace Diode.Edge.Agent.Diode;

/// <summary>Where the supervised Diode client stands.</summary>
internal enum DiodeState
{
    /// <summary>Not run: disabled, or the access rules are not complete yet (no fleet in protected mode).</summary>
    Disabled,
    NotFound,
    Starting,
    Connecting,
    Validated,
    Published,

    /// <summary>Running, but the whole relay pool is down or the port is not published.</summary>
    Disconnected,

    /// <summary>No relay can be reached at all (the Pi or the nodes are offline); retried at the backoff ceiling.</summary>
    Offline,
    Crashed,

    /// <summary>The client refused its command line (printed its usage and exited 0): fix diode.extraArgs or the client version.</summary>
    Misconfigured,
    Stopped,
}
