using Diode.Edge.Agent.Http;

namespace Diode.Edge.Agent.Fleet.Status;

/// <summary>
/// One device's row. <see cref="Address"/>, <see cref="Version"/>, <see cref="Fleet"/>, <see cref="Client"/> and
/// <see cref="Deployment"/> come from statements the device signed (verified here); <see cref="Health"/>,
/// <see cref="LastFrameAt"/>, <see cref="WatchdogReset"/> and <see cref="Diode"/> from its unsigned /health. The raw
/// signed texts are kept (<see cref="Identity"/>, <see cref="DeploymentStatus"/>) so anyone, the <c>fleet serve</c> page
/// among them, can verify the row again.
/// </summary>
internal sealed record FleetDeviceRow(
    string Given,
    string Url,
    string? Expected,
    string State,
    IReadOnlyList<string> Problems,
    string? Address,
    string? Version,
    string? Fleet,
    string? Client,
    FleetDeploymentView? Deployment,
    string? Health,
    string? LastFrameAt,
    double? LastFrameAgeSeconds,
    bool? WatchdogReset,
    string? Diode,
    double ElapsedMs,
    IdentityResponse? Identity,
    SignedStatement? DeploymentStatus);
