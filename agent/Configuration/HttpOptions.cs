namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>http</c> section: where the streams, /health and /metrics are served.</summary>
public sealed class HttpOptions
{
    /// <summary>Address to listen on. Loopback by default: the Diode client reaches it locally; nothing else should.</summary>
    public string Listen { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free port at start (the log says which).</summary>
    public int Port { get; set; } = 8080;
}
