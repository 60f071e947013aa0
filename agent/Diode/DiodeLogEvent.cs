namespace Diode.Edge.Agent.Diode;

/// <summary>What one line of the client's output means to the supervisor.</summary>
public sealed record DiodeLogEvent(DiodeLogKind Kind, string? Value = null);
