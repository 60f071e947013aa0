namespace Diode.Edge.Agent.Fleet.Status;

/// <summary>A device's deployment status as its signed statement says it (docs/deployments.md, "Status, signed by the device").</summary>
internal sealed record FleetDeploymentView(ulong AppliedSeq, ulong Seq, string State, string? Reason, string? At, string? Component);
