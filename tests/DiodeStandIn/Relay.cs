namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>One pooled relay connection: the host as configured, its normalized host:port (server=) and node id.</summary>
internal sealed class Relay(string host, string server, string nodeId)
{
    public string Host { get; } = host;

    public string Server { get; } = server;

    public string NodeId { get; } = nodeId;

    /// <summary>Cancelled when the relay's connection is gone.</summary>
    public CancellationTokenSource Lost { get; } = new();
}
