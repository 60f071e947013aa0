using System.Net;
using System.Net.Sockets;

namespace Diode.Edge.Tests.Support;

/// <summary>A TCP port on 127.0.0.1 that was free a moment ago, for a server a test starts itself (a broker, a VM's forward, an agent restarted on the same port).</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
