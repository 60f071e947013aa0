using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Diode.Edge.Agent.Diode.Api;

/// <summary>
/// Where the agent tells the Diode client to serve its config API (<c>-api -apiaddr=127.0.0.1:PORT</c>, docs/diode-client.md):
/// always loopback; <c>diode.apiPort</c>, or when that is 0 a free loopback port the agent picks once, at first use, and
/// keeps for the life of the process (so every restart of the client serves the API at the same address).
/// </summary>
internal sealed class DiodeApiEndpoint
{
    private readonly Lazy<IPEndPoint> _endPoint;

    public DiodeApiEndpoint(int port)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        _endPoint = new Lazy<IPEndPoint>(() => new IPEndPoint(IPAddress.Loopback, port == 0 ? FreeLoopbackPort() : port));
    }

    public DiodeApiEndpoint(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        _endPoint = new Lazy<IPEndPoint>(endPoint);
    }

    public IPEndPoint EndPoint => _endPoint.Value;

    /// <summary>The value of the client's <c>-apiaddr=</c> flag, e.g. <c>127.0.0.1:45123</c>.</summary>
    public string ApiAddressArgument => EndPoint.ToString();

    /// <summary>The API's base address, e.g. <c>http://127.0.0.1:45123/</c>.</summary>
    public Uri BaseAddress => new(string.Create(CultureInfo.InvariantCulture, $"http://{ApiAddressArgument}/"));

    private static int FreeLoopbackPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
