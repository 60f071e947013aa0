namespace Diode.Edge.Agent.Diode;

/// <summary>What one start of <c>diode publish</c> needs beyond the configuration: the agent's published port, its config API address, and the flags the supervisor chose for this start.</summary>
internal sealed record DiodeLaunch(int ConsumerPort, string? ApiAddress, bool FleetFlag, bool BlockQuickDowngrade, string? DbPath = null);
