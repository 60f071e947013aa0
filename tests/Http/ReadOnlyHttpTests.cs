using System.Net;
using System.Text.Json;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Agent.Relay;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Http;

/// <summary>
/// The loopback port reads and only reads: GET and HEAD, anything else 405 with Allow; and it answers only Host headers
/// naming loopback (or <c>http.allowedHosts</c>), so a web page cannot read it through DNS rebinding.
/// </summary>
[Trait("Tier", Tiers.Hostile)]
public sealed class ReadOnlyHttpTests : IAsyncLifetime
{
    private RunningAgent _agent = null!;

    public async Task InitializeAsync() =>
        _agent = await RunningAgent.StartAsync("""{ "sensors": [ { "type": "simulated", "name": "env" } ], "http": { "allowedHosts": [ "pi.lan" ] } }""");

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    public static TheoryData<string> ReadPaths => new() { "/health", "/metrics", "/streams", "/identity", "/" };

    [Theory]
    [MemberData(nameof(ReadPaths))]
    public async Task Only_get_and_head_are_answered_anything_else_is_405_with_allow(string path)
    {
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head })
        {
            using var ok = await _agent.Http.SendAsync(new HttpRequestMessage(method, path));
            Assert.True(ok.StatusCode == HttpStatusCode.OK, $"{method} {path}: {ok.StatusCode}");
        }

        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
        {
            using var refused = await _agent.Http.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent("x") });
            Assert.True(refused.StatusCode == HttpStatusCode.MethodNotAllowed, $"{method} {path}: {refused.StatusCode}");
            Assert.Equal(["GET", "HEAD"], refused.Content.Headers.Allow);
        }
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:8080")]
    [InlineData("127.0.0.1:1234")]
    [InlineData("[::1]:8080")]
    [InlineData("PI.lan")]
    public async Task A_loopback_host_or_an_allowed_one_is_answered(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Host = host;

        using var response = await _agent.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:8080")]
    [InlineData("127.0.0.1.evil.example")]
    public async Task Any_other_host_is_421_with_the_reason(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/streams");
        request.Headers.Host = host;

        using var response = await _agent.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("http.allowedHosts", body.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_relay_answers_only_loopback_hosts_and_only_reads_too()
    {
        var relay = RelayHost.Build(new RelayOptions(_agent.Address, "0x0000000000000000000000000000000000000001", new IPEndPoint(IPAddress.Loopback, 0)), Microsoft.Extensions.Logging.LogLevel.Warning);
        await relay.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = relay.BoundAddress() };
            using var evil = new HttpRequestMessage(HttpMethod.Get, "/health");
            evil.Headers.Host = "evil.example";
            using var refused = await http.SendAsync(evil);
            using var post = await http.PostAsync("/health", new StringContent("x"));
            using var local = await http.GetAsync("/streams");

            Assert.Equal(HttpStatusCode.MisdirectedRequest, refused.StatusCode);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
            Assert.Equal(HttpStatusCode.OK, local.StatusCode);
        }
        finally
        {
            await relay.StopAsync();
            await relay.DisposeAsync();
        }
    }
}
