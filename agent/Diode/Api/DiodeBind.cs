namespace Diode.Edge.Agent.Diode.Api;

/// <summary>One entry of <c>config.binds</c> (config_server.go <c>bind</c>).</summary>
internal sealed record DiodeBind(int LocalPort, string? Remote, int RemotePort, string? Protocol);
