namespace Diode.Edge.Agent.Fleet;

/// <summary>The last document this device refused: its seq (0 when it had none that read), the rejection's name, why, and when.</summary>
internal sealed record DeploymentRejected(ulong Seq, string Rejection, string Reason, DateTimeOffset At);
