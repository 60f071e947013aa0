using System.CommandLine;

namespace Diode.Edge.Agent.Cli;

/// <summary><c>fleet keygen</c>, <c>fleet sign</c>, <c>fleet verify</c>, <c>fleet push</c>.</summary>
public static class FleetOwnerCommands
{
    public static void AddTo(Command fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
    }
}
