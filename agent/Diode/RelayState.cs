namespace Diode.Edge.Agent.Diode;

/// <summary>One relay of the client's pool as its lines tell it: up (validated through it, or <c>Added relay</c> with <c>-debug</c>), lost (its connection closed) or failing (cannot connect).</summary>
internal enum RelayState
{
    Up,
    Lost,
    Failing,
}
