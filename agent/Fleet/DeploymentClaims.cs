namespace Diode.Edge.Agent.Fleet;

/// <summary>What the owners of a fleet sign for one deployment (<see cref="DeploymentTypedData"/>): times in Unix seconds, <see cref="ConfigHash"/> 32 bytes.</summary>
internal sealed record DeploymentClaims(string Fleet, ulong Seq, string Target, ulong NotBefore, ulong Expires, ulong RollbackAfter, byte[] ConfigHash);
