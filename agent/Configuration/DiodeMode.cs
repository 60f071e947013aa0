namespace Diode.Edge.Agent.Configuration;

/// <summary>Who may connect to the published port through the Diode network (docs/diode-client.md, "Who can connect").</summary>
internal enum DiodeMode
{
    /// <summary>Anyone.</summary>
    Public,

    /// <summary>Only devices of the same fleet.</summary>
    Protected,

    /// <summary>Only the addresses in <c>diode.allow</c>.</summary>
    Private,
}
