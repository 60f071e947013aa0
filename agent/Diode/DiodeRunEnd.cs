namespace Diode.Edge.Agent.Diode;

/// <summary>Why one run of the client ended, which decides how the restart is counted and what the next start changes.</summary>
internal enum DiodeRunEnd
{
    /// <summary>The agent is stopping.</summary>
    Stopping,

    /// <summary>The client exited or was killed by a signal it did not expect.</summary>
    Crashed,

    /// <summary>No relay could be reached at all: the Pi or the Diode nodes are offline (a restart does not help; backoff to the ceiling).</summary>
    Offline,

    /// <summary>It reached relays but never validated the chain: a stale BlockQuick window (cured by <c>-bqdowngrade</c>, not by a restart).</summary>
    NotValidated,

    /// <summary>Validated before, but the whole relay pool stayed down, or the port stayed unpublished, for <c>diode.revalidateTimeout</c>.</summary>
    Unreachable,

    /// <summary>Its config API stopped answering for <c>diode.revalidateTimeout</c>: the process hangs (diode_client #71).</summary>
    Unresponsive,

    /// <summary>It exited 0 without starting (a flag error prints the usage and exits 0): a configuration error, not restarted in a loop.</summary>
    Misconfigured,
}
