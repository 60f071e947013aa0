using System.Net;

namespace Diode.Edge.Agent.Diode.Consumers;

/// <summary>
/// On a connection to the published port (<c>diode.consumerPort</c>): the consumer's Diode address, as the Diode client
/// vouched for it (<c>GET /connection-client-id</c>), and the peer endpoint it was looked up by. Set once per connection
/// before any HTTP is read; requests see it through <c>HttpContext.Features.Get&lt;DiodeConsumerFeature&gt;()</c>.
/// Absent on the loopback <c>http.port</c> endpoint (local tools).
/// </summary>
internal sealed class DiodeConsumerFeature(string address, IPEndPoint peer)
{
    /// <summary>EIP-55 checksummed.</summary>
    public string Address { get; } = address;

    public IPEndPoint Peer { get; } = peer;
}
