using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.EndToEnd;

/// <summary>
/// A real in-process agent whose published port (<c>diode.consumerPort</c>) answers consumers that a fake of the Diode
/// client's config API knows by the test's own TCP connections (keyed by their local endpoint, the peer the agent sees):
/// <see cref="Allowed"/> is on <c>streams.env.allow</c>, <see cref="NotAllowed"/> is not.
/// </summary>
internal sealed class ConsumerPortScene : IAsyncDisposable
{
    public const string Allowed = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359";

    public const string NotAllowed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private FakeDiodeConfigApi _api = null!;

    private int _consumerPort;

    private ConsumerPortScene()
    {
    }

    public FakeDiodeConfigApi Api => _api;

    public RunningAgent Agent { get; private set; } = null!;

    public int ConsumerPort => _consumerPort;

    public static async Task<ConsumerPortScene> StartAsync()
    {
        var scene = new ConsumerPortScene();
        await scene.InitializeAsync();
        return scene;
    }

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        await _api.DisposeAsync();
    }

    /// <summary>A client whose every connection the fake client API maps to <paramref name="address"/>.</summary>
    public HttpClient Consumer(string address)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = BoundSocket(out var local);
                _api.Map(local, address.ToLowerInvariant());
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _consumerPort), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{_consumerPort}"), Timeout = Patience };
    }

    public static Socket BoundSocket(out IPEndPoint local)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        local = (IPEndPoint)socket.LocalEndPoint!;
        return socket;
    }

    public static async Task<string[]> StreamIdsAsync(HttpClient http)
    {
        using var streams = JsonDocument.Parse(await http.GetStringAsync("/streams"));
        return [.. streams.RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)];
    }

    private async Task InitializeAsync()
    {
        _api = await FakeDiodeConfigApi.StartAsync();
        _consumerPort = LoopbackPort.Free();
        Agent = await RunningAgent.StartAsync($$"""
            {
              "sensors": [ { "type": "simulated", "name": "env", "interval": "50ms" }, { "type": "simulated", "name": "door", "interval": "50ms" } ],
              "diode": { "enabled": true, "path": "/nonexistent/diode", "fleet": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "consumerPort": {{_consumerPort}}, "apiPort": {{_api.Port}} },
              "streams": { "env": { "allow": ["{{Allowed.ToLowerInvariant()}}"] } },
              "watchdog": { "enabled": false }
            }
            """);
    }
}
