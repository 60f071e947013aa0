namespace Diode.Edge.Agent.Fleet;

/// <summary>What became of a deployment pushed to one device.</summary>
internal enum DeploymentPushOutcome
{
    /// <summary>The device took it (202, <c>pending</c>): it applies it now and keeps it once healthy.</summary>
    Accepted,

    /// <summary>The device answered with a rejection and its reason.</summary>
    Rejected,

    /// <summary>No deployment answer: no connection, a timeout, or something else answered (a relay's 502, a web page, an answer too large).</summary>
    Unreachable,
}
