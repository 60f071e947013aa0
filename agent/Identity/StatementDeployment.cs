namespace Diode.Edge.Agent.Identity;

/// <summary>The deployment a device runs, as its signed identity statement names it: the applied seq and the last deployment's state.</summary>
internal readonly record struct StatementDeployment(ulong AppliedSeq, string State);
