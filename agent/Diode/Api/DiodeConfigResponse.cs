namespace Diode.Edge.Agent.Diode.Api;

/// <summary>The envelope of every config API answer (config_server.go <c>apiResponse</c>).</summary>
internal sealed record DiodeConfigResponse(bool Success, string? Message, IReadOnlyDictionary<string, string>? Error, DiodeClientConfig? Config);
