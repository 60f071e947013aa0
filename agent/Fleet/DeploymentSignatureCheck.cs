namespace Diode.Edge.Agent.Fleet;

/// <summary>One signature of a deployment as the owner-side <c>fleet verify</c> sees it: who made it (null: no valid signature), whether that is an owner, and whether it counts (an owner counts once).</summary>
internal sealed record DeploymentSignatureCheck(string Signature, string? Signer, bool IsOwner, bool Counted);
