using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Diode.Edge.Agent.Identity;
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
    private ConsumerPortScene _scene = null!;

    public async Task InitializeAsync() => _scene = await ConsumerPortScene.StartAsync();

    public async Task DisposeAsync() => await _scene.DisposeAsync();

    [Fact]
    public async Task A_consumer_the_allow_list_does_not_name_gets_403_with_the_reason_and_does_not_see_the_stream()
    {
        using var http = _scene.Consumer(ConsumerPortScene.NotAllowed);

        using var events = await http.GetAsync("/streams/env/events", HttpCompletionOption.ResponseHeadersRead);
        using var latest = await http.GetAsync("/STREAMS/env/latest");
        using var door = await http.GetAsync("/streams/door/history");

        Assert.Equal(HttpStatusCode.Forbidden, events.StatusCode);
        using var body = JsonDocument.Parse(await events.Content.ReadAsStringAsync());
        Assert.Equal($"consumer {ConsumerPortScene.NotAllowed} is not allowed to read stream \"env\" (streams.env.allow)", body.RootElement.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, latest.StatusCode);
        Assert.Equal(HttpStatusCode.OK, door.StatusCode);
        Assert.Equal(["door"], await ConsumerPortScene.StreamIdsAsync(http));
    }

    [Fact]
    public async Task A_peer_the_diode_client_does_not_know_is_closed_without_an_http_response_and_the_loopback_port_is_unaffected()
    {
        using var socket = ConsumerPortScene.BoundSocket(out _);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _scene.ConsumerPort));
        await socket.SendAsync("GET /health HTTP/1.1\r\nHost: device\r\n\r\n"u8.ToArray());

        var received = new byte[1024];
        int read;
        try
        {
            using var cancel = new CancellationTokenSource(ConsumerPortScene.Patience);
            read = await socket.ReceiveAsync(received, cancel.Token);
        }
        catch (SocketException)
        {
            read = 0;
        }

        Assert.Equal(0, read);
        Assert.True(_scene.Api.Lookups.Count >= 3, $"the agent asked {_scene.Api.Lookups.Count} times, not 3 (retries while the client registers the mapping)");

        Assert.Equal(["door", "env"], await ConsumerPortScene.StreamIdsAsync(_scene.Agent.Http));
        using var latest = await _scene.Agent.Http.GetAsync("/streams/env/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
        string metrics = await _scene.Agent.Http.GetStringAsync("/metrics");
        Assert.True(PrometheusText.Value(metrics, "diode_edge_consumer_refused_total{reason=\"unknown\"}") >= 1);
    }

    [Fact]
    public async Task A_mapping_registered_just_after_the_connection_arrives_is_found_by_the_retry()
    {
        _scene.Api.RegisterAfterLookups = 1;
        using var http = _scene.Consumer(ConsumerPortScene.Allowed);

        using var response = await http.GetAsync("/streams/env/history?limit=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string metrics = await _scene.Agent.Http.GetStringAsync("/metrics");
        Assert.Equal(1, PrometheusText.Value(metrics, $"diode_edge_consumer_connections_total{{address=\"{ConsumerPortScene.Allowed}\"}}"));
    }

    /// <summary>An HTTP client each of whose connections leaves from a local endpoint the fake API maps to <paramref name="address"/>.</summary>
    [Fact]
    public async Task The_published_port_answers_the_diode_link_host_its_consumers_send()
    {
        using var http = _scene.Consumer(ConsumerPortScene.Allowed);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Host = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed.diode.link";
        using var loopback = new HttpRequestMessage(HttpMethod.Get, "/health");
        loopback.Headers.Host = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed.diode.link";

        using var response = await http.SendAsync(request);
        using var refused = await _scene.Agent.Http.SendAsync(loopback);

        Assert.NotEqual(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, refused.StatusCode);
    }
}
