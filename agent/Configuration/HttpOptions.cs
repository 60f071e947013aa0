using System.ComponentModel;
using System.Text.Json.Serialization;
using Diode.Edge.Watchdog;
using Diode.Edge.Agent.Configuration.Validation;

namespace Diode.Edge.Agent.Configuration;

/// <summary>The <c>http</c> section: where the streams, /health and /metrics are served.</summary>
internal sealed class HttpOptions
{
    /// <summary>Address to listen on. Loopback by default: the Diode client reaches it locally; nothing else should.</summary>
    [Description("IP address to listen on; loopback by default, because the Diode client reaches it locally and nothing else should.")]
    [IpAddress]
    public string Listen { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free port at start (the log says which).</summary>
    [Description("TCP port; 0 picks a free port at start (the log names it).")]
    [TcpPort]
    public int Port { get; set; } = 8080;

    /// <summary>
    /// Host names the loopback port answers besides localhost, 127.0.0.1 and [::1] (any port), e.g. a name in
    /// /etc/hosts. Requests naming any other host get 421: a web page cannot read the agent through DNS rebinding.
    /// </summary>
    [Description("Host names the loopback port answers besides localhost, 127.0.0.1 and [::1]; a request naming any other host gets 421 (against DNS rebinding).")]
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Requests per second the port accepts in all (a stream subscription counts once); beyond it, HTTP 429 with Retry-After.</summary>
    [Description("Requests per second the port accepts in all, 1 to 1000000 (a stream subscription counts once); beyond it, HTTP 429 with Retry-After.")]
    [Within(1, 1_000_000)]
    public int MaxRequestsPerSecond { get; set; } = 1_000;

    /// <summary>
    /// Kernel send buffer per connection. Linux would let a stalled consumer's socket grow to 4 MB; this caps it, so a
    /// consumer that stops reading costs a bounded amount of memory and soon falls behind its queue instead.
    /// </summary>
    [ByteSize]
    [ByteSizeWithin("4KB", "64MB")]
    [JsonConverter(typeof(ByteSizeJsonConverter))]
    [Description("Kernel send buffer per connection, 4KB to 64MB: it bounds what a consumer that stops reading costs.")]
    public long SendBufferSize { get; set; } = 32 * 1024;
}
