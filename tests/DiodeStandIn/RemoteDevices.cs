using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Diode.Edge.Tests.DiodeStandIn;

/// <summary>
/// Remote Diode devices connecting to the published ports (DIODE_STANDIN_REMOTES="0xAddr=PORT[:EXTERN];…"): each
/// listens on 127.0.0.1:PORT and every connection accepted there plays one portopen from that device to the extern
/// port EXTERN (default: the first published port). Like rpc/bridge.go handleInboundRequest: no published port →
/// "Port was not published port = N"; a private port admits only its allowlist (silently refused otherwise); then a
/// NEW connection to the port's local host:src, its local address registered in ConnectionPeers before any data moves,
/// copied both ways, unregistered when it closes; a relay that drops closes its ports (DataPool.ClosePorts).
/// </summary>
internal sealed class RemoteDevices : IDisposable
{
    private readonly ZapLog _log;
    private readonly StandInEnv _env;
    private readonly RelayPool _pool;
    private readonly ConnectionPeers _peers;
    private readonly Func<IReadOnlyList<PublishedPort>> _ports;
    private readonly Func<bool> _hung;
    private readonly List<TcpListener> _listeners = [];
    private readonly List<Socket> _held = [];
    private readonly CancellationTokenSource _stop = new();

    public RemoteDevices(ZapLog log, StandInEnv env, RelayPool pool, ConnectionPeers peers, Func<IReadOnlyList<PublishedPort>> ports, Func<bool> hung)
    {
        _log = log;
        _env = env;
        _pool = pool;
        _peers = peers;
        _ports = ports;
        _hung = hung;
    }

    public void Start()
    {
        foreach (string item in _env.Remotes.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] kv = item.Split('=', 2);
            if (kv.Length != 2 || Identity.DecodeAddress(kv[0]) is not { } address)
            {
                continue;
            }

            string[] ports = kv[1].Split(':');
            int listen = int.Parse(ports[0], CultureInfo.InvariantCulture);
            int? extern_ = ports.Length > 1 ? int.Parse(ports[1], CultureInfo.InvariantCulture) : null;
            var listener = new TcpListener(IPAddress.Loopback, listen);
            listener.Start();
            _listeners.Add(listener);
            string device = Identity.Hex(address);
            _ = Task.Run(() => AcceptAsync(listener, device, extern_, _stop.Token));
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var listener in _listeners)
        {
            listener.Stop();
        }

        lock (_held)
        {
            foreach (var s in _held)
            {
                s.Dispose();
            }
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener, string device, int? externPort, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var inbound = await listener.AcceptSocketAsync(ct);
                _ = Task.Run(() => HandleAsync(inbound, device, externPort, ct), CancellationToken.None);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task HandleAsync(Socket inbound, string device, int? externPort, CancellationToken ct)
    {
        if (_hung())
        {
            // The silent hang (#71): the connection is taken and never served.
            lock (_held)
            {
                _held.Add(inbound);
            }

            return;
        }

        using (inbound)
        {
            var relay = _pool.AnyRelay();
            if (relay is null)
            {
                return;
            }

            var ports = _ports();
            var port = externPort is { } e ? ports.FirstOrDefault(p => p.To == e) : ports.Count > 0 ? ports[0] : null;
            int number = externPort ?? port?.To ?? 0;
            if (port is null || _env.Mode == "not-published")
            {
                _log.Info($"Port was not published port = {number}", relay.Server);
                return;
            }

            if (port.Mode == "private" && !port.Allowlist.Contains(device, StringComparer.Ordinal))
            {
                // "device %x is not in the Allowlist (2)" goes back to the relay only; nothing is logged.
                return;
            }

            string host = port.SrcHost + ":" + port.Src.ToString(CultureInfo.InvariantCulture);
            var target = port.SrcHost == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(port.SrcHost, out var ip) ? ip : (await Dns.GetHostAddressesAsync(port.SrcHost, ct))[0];
            using var upstream = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            var endpoint = new IPEndPoint(target, port.Src);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(15));
                await upstream.ConnectAsync(endpoint, timeout.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                string reason = ex is SocketException { SocketErrorCode: SocketError.ConnectionRefused } ? "connect: connection refused" : "i/o timeout";
                _log.Error($"Failed to connect local '{host}': dial tcp {endpoint}: {reason}", relay.Server);
                return;
            }

            string peer = upstream.LocalEndPoint!.ToString()!;
            _peers.Register(peer, device);
            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, relay.Lost.Token);
                using var a = new NetworkStream(inbound, ownsSocket: false);
                using var b = new NetworkStream(upstream, ownsSocket: false);
                var up = CopyAsync(a, upstream, linked.Token);
                var down = CopyAsync(b, inbound, linked.Token);
                await Task.WhenAny(up, down);
            }
            finally
            {
                _peers.Unregister(peer);
            }
        }
    }

    private static async Task CopyAsync(Stream from, Socket to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, ct)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, ct);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
