namespace Diode.Edge.Agent.Diode.Api;

/// <summary>The answer of <c>GET /connection-client-id?peer=</c> (config_server.go <c>connectionClientIDResponse</c>): <c>{"clientId":"0x…"}</c>.</summary>
internal sealed record ConnectionClientIdResponse(string? ClientId);
