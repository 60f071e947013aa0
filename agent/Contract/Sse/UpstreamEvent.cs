namespace Diode.Edge.Contract;

/// <summary>One server-sent event read from an upstream: its type (<c>message</c> when none), id and data.</summary>
public sealed record UpstreamEvent(string EventType, string? EventId, string Data);
