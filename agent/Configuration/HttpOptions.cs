using System.Text.Json.Serialization;
using Diode.Edge.Watchdog;

namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>http</c> section: where the streams, /health and /metrics are served.</summary>
internal sealed class HttpOptions
{
    /// <summary>Address to listen on. Loopback by default: the Diode client reaches it locally; nothing else should.</summary>
    public string Listen { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free port at start (the log says which).</summary>
    public int Port { get; set; } = 8080;

    /// <summary>
    /// Host names the loopback port answers besides localhost, 127.0.0.1 and [::1] (any port), e.g. a name in
    /// /etc/hosts. Requests naming any other host get 421: a web page cannot read the agent through DNS rebinding.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Requests per second the port accepts in all (a stream subscription counts once); beyond it, HTTP 429 with Retry-After.</summary>
    public int MaxRequestsPerSecond { get; set; } = 1_000;

    /// <summary>
    /// Kernel send buffer per connection. Linux would let a stalled consumer's socket grow to 4 MB; this caps it, so a
    /// consumer that stops reading costs a bounded amount of memory and soon falls behind its queue instead.
    /// </summary>
    [ByteSize]
    [JsonConverter(typeof(ByteSizeJsonConverter))]
    public long SendBufferSize { get; set; } = 32 * 1024;
}
