namespace Diode.Edge.Agent.Diode;

/// <summary>What one line of the client's output means to the supervisor: its kind, its value and the relay it names (<c>server=</c>).</summary>
internal sealed record DiodeLogEvent(DiodeLogKind Kind, string? Value = null, string? Server = null)
{
    public static readonly DiodeLogEvent None = new(DiodeLogKind.Other);
}
