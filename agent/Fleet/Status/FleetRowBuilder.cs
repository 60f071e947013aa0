using Diode.Edge.Agent.Http;

namespace Diode.Edge.Agent.Fleet.Status;

/// <summary>A device's row while <see cref="FleetStatusCollector"/> makes it.</summary>
internal sealed class FleetRowBuilder(FleetDeviceTarget target)
{
    public string State { get; set; } = FleetRowStates.Ok;

    public List<string> Problems { get; } = [];

    public string? Address { get; set; }

    public string? Version { get; set; }

    public string? Fleet { get; set; }

    public string? Client { get; set; }

    public FleetDeploymentView? Deployment { get; set; }

    public string? Health { get; set; }

    public DateTimeOffset? LastFrame { get; set; }

    public bool? WatchdogReset { get; set; }

    public string? Diode { get; set; }

    public IdentityResponse? Identity { get; set; }

    public SignedStatement? DeploymentStatus { get; set; }

    /// <summary>Moves the state towards the worse: ok, incomplete, unverified (unreachable stays).</summary>
    public void Demote(string state)
    {
        if (State == FleetRowStates.Ok || (State == FleetRowStates.Incomplete && state == FleetRowStates.Unverified))
        {
            State = state;
        }
    }

    public FleetDeviceRow Build(TimeSpan elapsed, DateTimeOffset now) => new(
        target.Given,
        target.Url.AbsoluteUri,
        target.ExpectedAddress,
        State,
        Problems,
        Address,
        Version,
        Fleet,
        Client,
        Deployment,
        Health,
        LastFrame is { } at ? Rfc3339.ToText(at) : null,
        LastFrame is { } last ? Math.Round(Math.Max(0, (now - last).TotalSeconds), 1) : null,
        WatchdogReset,
        Diode,
        Math.Round(elapsed.TotalMilliseconds, 1),
        Identity,
        DeploymentStatus);
}
