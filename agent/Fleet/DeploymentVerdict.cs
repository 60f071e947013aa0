namespace Diode.Edge.Agent.Fleet;

/// <summary>What a device made of a deployment: accepted (with the owners who signed it), or the rejection and why.</summary>
internal sealed record DeploymentVerdict(DeploymentRejection? Rejection, string Reason, IReadOnlyList<string> Signers)
{
    public bool Accepted => Rejection is null;

    public static DeploymentVerdict Reject(DeploymentRejection rejection, string reason) => new(rejection, reason, []);
}
