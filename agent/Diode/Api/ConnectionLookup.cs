namespace Diode.Edge.Agent.Diode.Api;

/// <summary>The result of one <c>GET /connection-client-id</c>: the EIP-55 address when <see cref="ConnectionLookupOutcome.Found"/>.</summary>
internal readonly record struct ConnectionLookup(ConnectionLookupOutcome Outcome, string? Address);
