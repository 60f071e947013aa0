namespace Diode.Edge.Agent.Diode.Api;

/// <summary>One entry of <c>config.ports</c> (config_server.go <c>port</c>): e.g. <c>{"localPort":8081,"externPort":80,"protocol":"any","mode":"protected"}</c>.</summary>
internal sealed record DiodePublishedPort(int LocalPort, int ExternPort, string? Protocol, string? Mode, IReadOnlyList<string>? Addresses);
