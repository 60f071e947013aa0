using System.Net;
using System.Net.Sockets;

namespace Diode.Edge.Bench;

/// <summary>A loopback TCP proxy in front of a server that counts the bytes the client sends through it (what would cross the network).</summary>
internal sealed class CountingTcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;
    private long _clientBytes;

    public CountingTcpProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Bytes the clients sent to the server so far.</summary>
    public long ClientBytes => Interlocked.Read(ref _clientBytes);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await Task.WhenAll([_accepting, .. _pumps]).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            var server = new TcpClient();
            await server.ConnectAsync(IPAddress.Loopback, _upstreamPort, _stop.Token).ConfigureAwait(false);
            client.NoDelay = server.NoDelay = true;
            _pumps.Add(PumpAsync(client.GetStream(), server.GetStream(), count: true));
            _pumps.Add(PumpAsync(server.GetStream(), client.GetStream(), count: false));
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool count)
    {
        var buffer = new byte[16384];
        int n;
        while ((n = await from.ReadAsync(buffer, _stop.Token).ConfigureAwait(false)) > 0)
        {
            if (count)
            {
                Interlocked.Add(ref _clientBytes, n);
            }

            await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token).ConfigureAwait(false);
        }
    }
}
