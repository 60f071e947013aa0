using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Agent.Verification;
using Diode.Edge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Diode.Edge.Tests.EndToEnd;

/// <summary>Frames served on the consumer port to an allowed consumer verify with the independent JavaScript verifier (node).</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class ConsumerPortVerifierTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private const string Allowed = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359";

    private const string NotAllowed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    private FakeDiodeConfigApi _api = null!;

    private RunningAgent _agent = null!;

    private int _consumerPort;

    public async Task InitializeAsync()
    {
        _api = await FakeDiodeConfigApi.StartAsync();
        _consumerPort = LoopbackPort.Free();
        _agent = await RunningAgent.StartAsync($$"""
            {
              "sensors": [ { "type": "simulated", "name": "env", "interval": "50ms" }, { "type": "simulated", "name": "door", "interval": "50ms" } ],
              "diode": { "enabled": true, "path": "/nonexistent/diode", "fleet": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "consumerPort": {{_consumerPort}}, "apiPort": {{_api.Port}} },
              "streams": { "env": { "allow": ["{{Allowed.ToLowerInvariant()}}"] } },
              "watchdog": { "enabled": false }
            }
            """);
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task An_allowed_consumer_gets_signed_frames_that_verify_and_sees_identity_but_not_metrics()
    {
        using var http = Consumer(Allowed);
        string device = _agent.Services.GetRequiredService<DeviceIdentity>().Address;

        using var cancel = new CancellationTokenSource(Patience);
        using var response = await http.GetAsync("/streams/env/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
        var verifier = new FrameVerifier(device);
        int verified = 0;
        while (verified < 3 && await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var verdict = verifier.Verify(Encoding.UTF8.GetBytes(line["data: ".Length..]));
                Assert.True(verdict.Accepted, verdict.Reason);
                Assert.Equal("env", verdict.Stream);
                verified++;
            }
        }

        Assert.Equal(3, verified);
        Assert.Equal(["door", "env"], await StreamIdsAsync(http));
        using var metrics = await http.GetAsync("/metrics", cancel.Token);
        Assert.Equal(HttpStatusCode.Forbidden, metrics.StatusCode);
        using var health = await http.GetAsync("/health", cancel.Token);
        Assert.NotEqual(HttpStatusCode.Forbidden, health.StatusCode);
        using var dashboard = await http.GetAsync("/", cancel.Token);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);

        string identityJson = await http.GetStringAsync("/identity", cancel.Token);
        using var identity = JsonDocument.Parse(identityJson);
        string client = identity.RootElement.GetProperty("clientAddress").GetString()!;
        Assert.Equal(FakeDiodeConfigApi.ClientAddress, client, ignoreCase: true);
        string statement = identity.RootElement.GetProperty("statement").GetString()!;
        Assert.Equal(client, JsonDocument.Parse(statement).RootElement.GetProperty("client").GetString());
        Assert.Equal(device, Eip191.Recover(Encoding.UTF8.GetBytes(statement), identity.RootElement.GetProperty("sig").GetString()!));
        var ethers = await NodeVerifier.RunAsync(identityJson, "identity");
        Assert.True(ethers.GetProperty("ok").GetBoolean(), ethers.ToString());
        var altered = System.Text.Json.Nodes.JsonNode.Parse(identityJson)!;
        altered["clientAddress"] = NotAllowed;
        var tampered = await NodeVerifier.RunAsync(altered.ToJsonString(), "identity");
        Assert.False(tampered.GetProperty("ok").GetBoolean(), "the independent verifier accepted a clientAddress the statement does not name");
    }

    private HttpClient Consumer(string address)
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

    private static Socket BoundSocket(out IPEndPoint local)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        local = (IPEndPoint)socket.LocalEndPoint!;
        return socket;
    }

    private static async Task<string[]> StreamIdsAsync(HttpClient http)
    {
        using var streams = JsonDocument.Parse(await http.GetStringAsync("/streams"));
        return [.. streams.RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString()!).Order(StringComparer.Ordinal)];
    }
}
