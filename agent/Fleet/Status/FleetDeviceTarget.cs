namespace Diode.Edge.Agent.Fleet.Status;

/// <summary>
/// One device to ask, as the owner listed it: <see cref="Given"/> (the text of the list), the base <see cref="Url"/> of
/// its agent (or of a relay for it), and for a Diode address the address its signed identity must name as its Diode
/// client or as its device (<see cref="ExpectedAddress"/>; null for a plain URL).
/// </summary>
internal sealed record FleetDeviceTarget(string Given, Uri Url, string? ExpectedAddress);
