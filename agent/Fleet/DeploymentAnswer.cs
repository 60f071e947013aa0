namespace Diode.Edge.Agent.Fleet;

/// <summary>The answer to <c>POST /deployments</c>: the seq, <c>pending</c> (accepted, being applied) or <c>rejected</c> with the rejection's name, why, and the owners who signed.</summary>
internal sealed record DeploymentAnswer(ulong Seq, string State, string? Rejection, string Reason, IReadOnlyList<string> Signers);
