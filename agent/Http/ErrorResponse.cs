namespace Diode.Edge.Agent.Http;

/// <summary>The body of every 4xx/5xx answer: what went wrong, in one sentence.</summary>
internal sealed record ErrorResponse(string Error);
