namespace Diode.Edge.Agent.Diode.Api;

/// <summary>
/// The <c>config</c> object of the client's <c>GET /config</c> (cmd/diode/config_server.go, <c>configEntry</c>, v1.18.8).
/// <c>lastValidBlockNumber</c>/<c>lastValidBlockHash</c> are declared there but never filled; <c>controls</c> and
/// <c>perimeter</c> are left out here (free-form).
/// </summary>
internal sealed record DiodeClientConfig(
    string? Client,
    string? Fleet,
    string? Version,
    ulong LastValidBlockNumber,
    string? LastValidBlockHash,
    IReadOnlyList<DiodeBind>? Binds,
    IReadOnlyList<DiodePublishedPort>? Ports,
    IReadOnlyList<string>? Sshd,
    bool EnableSocks,
    bool EnableProxy,
    bool EnableSecureProxy);
