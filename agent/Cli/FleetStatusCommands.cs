using System.CommandLine;

namespace Diode.Edge.Agent.Cli;

/// <summary><c>fleet status</c>, <c>fleet serve</c>.</summary>
public static class FleetStatusCommands
{
    public static void AddTo(Command fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
    }
}
