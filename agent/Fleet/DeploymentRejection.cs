namespace Diode.Edge.Agent.Fleet;

/// <summary>Why a device refused a deployment; each is counted apart (<c>diode_edge_deployments_rejected_total{reason}</c>).</summary>
internal enum DeploymentRejection
{
    /// <summary>Not a deployment document (a member missing or wrong, too large, not JSON).</summary>
    Malformed,

    /// <summary>This device takes no deployments (no <c>fleet.owners</c>).</summary>
    Disabled,

    /// <summary>For another fleet.</summary>
    WrongFleet,

    /// <summary>Not for this device (its address is not listed, or its tags do not match).</summary>
    NotTargeted,

    /// <summary>Not newer than the deployment applied (a replay or a downgrade).</summary>
    NotNewer,

    /// <summary>Before its <c>notBefore</c>.</summary>
    NotYetValid,

    /// <summary>After its <c>expires</c>.</summary>
    Expired,

    /// <summary>Fewer than <c>fleet.threshold</c> distinct owners signed it.</summary>
    NotEnoughSignatures,

    /// <summary>Its configuration sets a key no deployment may set (the identity).</summary>
    ForbiddenKey,

    /// <summary>The configuration it makes is not valid.</summary>
    InvalidConfig,
}
