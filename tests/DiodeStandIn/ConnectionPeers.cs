using System.Collections.Concurrent;

namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>
/// DataPool.peerAddrToDeviceID (rpc/datapool.go): the local address of the client's connection to a published port
/// (what the backend sees as conn.RemoteAddr()) → the verified address of the device at the other end. Registered in
/// rpc/bridge.go after the local dial succeeded and before any data is copied, removed in ConnectedPort.close.
/// </summary>
internal sealed class ConnectionPeers
{
    private readonly ConcurrentDictionary<string, string> _peers = new(StringComparer.Ordinal);

    public void Register(string peer, string device) => _peers[peer] = device;

    public void Unregister(string peer) => _peers.TryRemove(peer, out _);

    public string? Lookup(string peer) => _peers.TryGetValue(peer, out var device) ? device : null;
}
