namespace Diode.Edge.Agent.Fleet.Status;

/// <summary><c>GET /fleet/status.json</c> of <c>fleet serve</c>: how often it polls, and the latest report.</summary>
internal sealed record FleetServeAnswer(double IntervalSeconds, FleetStatusReport Report);
