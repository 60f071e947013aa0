namespace Diode.Edge.Agent.Http;

/// <summary><c>GET /identity</c>: the device address, its fleet, the agent version, and the signed statement binding them.</summary>
public sealed record IdentityResponse(string Address, string? Fleet, string Version, string Statement, string Sig);
