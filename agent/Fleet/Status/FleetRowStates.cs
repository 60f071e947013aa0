namespace Diode.Edge.Agent.Fleet.Status;

/// <summary>What a row of <c>fleet status</c> says of its device as a whole (docs/deployments.md, "Watching the fleet").</summary>
internal static class FleetRowStates
{
    /// <summary>The identity and the deployment status are signed by the device, and /health answered.</summary>
    public const string Ok = "ok";

    /// <summary>The identity is proven, but the deployment status or /health did not answer.</summary>
    public const string Incomplete = "incomplete";

    /// <summary>Something signed did not verify (a forged or broken signature, another device than the one listed, a refused answer).</summary>
    public const string Unverified = "unverified";

    /// <summary>No answer to /identity within the timeout (or an HTTP error instead of one).</summary>
    public const string Unreachable = "unreachable";
}
