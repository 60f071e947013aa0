using System.CommandLine;

namespace Diode.Edge.Agent.Cli;

/// <summary>
/// <c>diode-edge fleet …</c>: the owner's side of fleet deployments (docs/deployments.md): keys and signatures
/// (<see cref="FleetOwnerCommands"/>), and what the devices run (<see cref="FleetStatusCommands"/>).
/// </summary>
internal static class FleetCommand
{
    public static Command Build()
    {
        var fleet = new Command("fleet", "For fleet owners: make owner keys, sign and push deployments, and watch what every device runs. No admin server: each device verifies.");
        FleetOwnerCommands.AddTo(fleet);
        FleetStatusCommands.AddTo(fleet);
        return fleet;
    }
}
