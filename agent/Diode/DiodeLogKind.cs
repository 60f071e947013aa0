namespace Diode.Edge.Agent.Diode;

/// <summary>The kinds of client log lines the supervisor acts on.</summary>
public enum DiodeLogKind
{
    Other,
    Version,
    ClientAddress,
    FleetAddress,
    Validated,
    ConnectFailed,
    Connected,
    Disconnected,
    PortPublished,
    CommandError,
}
