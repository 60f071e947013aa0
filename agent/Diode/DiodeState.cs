namespace Diode.Edge.Agent.Diode;

/// <summary>Where the supervised Diode client stands.</summary>
public enum DiodeState
{
    Disabled,
    NotFound,
    Starting,
    Connecting,
    Validated,
    Published,
    Disconnected,
    Crashed,
    Stopped,
}
