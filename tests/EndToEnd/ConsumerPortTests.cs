using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Agent.Verification;
using Diode.Edge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Diode.Edge.Tests.EndToEnd;

/// <summary>
/// The published port (<c>diode.consumerPort</c>) of a real in-process agent, with a fake of the Diode client's config
/// API that knows the test's own TCP connections (keyed by their local endpoint, which is the peer the agent sees):
/// one mapped to an allowed address, one to an address <c>streams.env.allow</c> does not list, one not at all.
/// </summary>
[Trait("Tier", Tiers.Unit)]
public sealed class ConsumerPortTests : IAsyncLifetime
{
    private const string Allowed = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359";

    private const string NotAllowed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

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
    public async Task A_consumer_the_allow_list_does_not_name_gets_403_with_the_reason_and_does_not_see_the_stream()
    {
        using var http = Consumer(NotAllowed);

        using var events = await http.GetAsync("/streams/env/events", HttpCompletionOption.ResponseHeadersRead);
        using var latest = await http.GetAsync("/STREAMS/env/latest");
        using var door = await http.GetAsync("/streams/door/history");

        Assert.Equal(HttpStatusCode.Forbidden, events.StatusCode);
        using var body = JsonDocument.Parse(await events.Content.ReadAsStringAsync());
        Assert.Equal($"consumer {NotAllowed} is not allowed to read stream \"env\" (streams.env.allow)", body.RootElement.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, latest.StatusCode);
        Assert.Equal(HttpStatusCode.OK, door.StatusCode);
        Assert.Equal(["door"], await StreamIdsAsync(http));
    }

    [Fact]
    public async Task A_peer_the_diode_client_does_not_know_is_closed_without_an_http_response_and_the_loopback_port_is_unaffected()
    {
        using var socket = BoundSocket(out _);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _consumerPort));
        await socket.SendAsync("GET /health HTTP/1.1\r\nHost: device\r\n\r\n"u8.ToArray());

        var received = new byte[1024];
        int read;
        try
        {
            using var cancel = new CancellationTokenSource(Patience);
            read = await socket.ReceiveAsync(received, cancel.Token);
        }
        catch (SocketException)
        {
            read = 0;
        }

        Assert.Equal(0, read);
        Assert.True(_api.Lookups.Count >= 3, $"the agent asked {_api.Lookups.Count} times, not 3 (retries while the client registers the mapping)");

        Assert.Equal(["door", "env"], await StreamIdsAsync(_agent.Http));
        using var latest = await _agent.Http.GetAsync("/streams/env/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
        string metrics = await _agent.Http.GetStringAsync("/metrics");
        Assert.True(PrometheusText.Value(metrics, "diode_edge_consumer_refused_total{reason=\"unknown\"}") >= 1);
    }

    [Fact]
    public async Task A_mapping_registered_just_after_the_connection_arrives_is_found_by_the_retry()
    {
        _api.RegisterAfterLookups = 1;
        using var http = Consumer(Allowed);

        using var response = await http.GetAsync("/streams/env/history?limit=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string metrics = await _agent.Http.GetStringAsync("/metrics");
        Assert.Equal(1, PrometheusText.Value(metrics, $"diode_edge_consumer_connections_total{{address=\"{Allowed}\"}}"));
    }

    /// <summary>An HTTP client each of whose connections leaves from a local endpoint the fake API maps to <paramref name="address"/>.</summary>
    [Fact]
    public async Task The_published_port_answers_the_diode_link_host_its_consumers_send()
    {
        using var http = Consumer(Allowed);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Host = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed.diode.link";
        using var loopback = new HttpRequestMessage(HttpMethod.Get, "/health");
        loopback.Headers.Host = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed.diode.link";

        using var response = await http.SendAsync(request);
        using var refused = await _agent.Http.SendAsync(loopback);

        Assert.NotEqual(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, refused.StatusCode);
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
