namespace Diode.Edge.Agent.Configuration.Validation;

/// <summary>A TCP port to listen on: 1 to 65535, or 0 for any free port.</summary>
internal sealed class TcpPortAttribute : ConfigValueAttribute
{
    protected override string? Problem(object? value) =>
        value is int port && port is < 0 or > 65535 ? $"{port} is not a TCP port (1-65535, or 0 for any free port)" : null;
}
