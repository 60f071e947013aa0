namespace Diode.Edge.Agent.Http;

/// <summary>
/// <c>GET /identity</c>: the device address, its fleet, the agent version, and the signed statement binding them;
/// <c>clientAddress</c> is the Diode client's address (the one consumers dial) once known, and the statement then names it as <c>client</c>.
/// </summary>
internal sealed record IdentityResponse(string Address, string? Fleet, string Version, string Statement, string Sig, string? ClientAddress = null);
