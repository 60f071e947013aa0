using System.Net;
using System.Net.Http.Headers;
using Diode.Edge.Agent.Diode.Api;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.DiodeClient;

/// <summary><see cref="DiodeConfigApi"/> against a server that answers like cmd/diode/config_server.go (v1.18.8).</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class DiodeConfigApiTests : IAsyncLifetime, IDisposable
{
    private const string Consumer = "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359";
    private const string ConsumerChecksummed = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359";
    private FakeDiodeConfigApi _server = null!;
    private DiodeConfigApi _api = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeDiodeConfigApi.StartAsync();
        _api = new DiodeConfigApi(new DiodeApiEndpoint(_server.EndPoint));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _api?.Dispose();

    [Fact]
    public async Task The_fake_server_refuses_requests_without_a_json_content_type_like_the_real_one()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{_server.EndPoint}/") };

        using var plain = await http.GetAsync("config", CancellationToken.None);
        using var request = new HttpRequestMessage(HttpMethod.Get, "connection-client-id") { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var noPeer = await http.SendAsync(request, CancellationToken.None);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noPeer.StatusCode);
        Assert.Contains("\"peer\":\"required\"", await noPeer.Content.ReadAsStringAsync(CancellationToken.None), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_config_reads_the_clients_address_fleet_version_and_ports()
    {
        var config = await _api.GetConfigAsync(CancellationToken.None);

        Assert.NotNull(config);
        Assert.Equal(FakeDiodeConfigApi.ClientAddress, config.Client);
        Assert.Equal("0x6000000000000000000000000000000000000000", config.Fleet);
        Assert.Equal("v1.18.8", config.Version);
        var port = Assert.Single(config.Ports!);
        Assert.Equal((8081, 80, "protected", "any"), (port.LocalPort, port.ExternPort, port.Mode, port.Protocol));
        Assert.Empty(config.Binds!);
    }

    [Fact]
    public async Task A_mapped_peer_resolves_to_its_checksummed_address_and_an_unknown_one_to_null()
    {
        var peer = new IPEndPoint(IPAddress.Loopback, 54321);
        _server.Map(peer, Consumer);

        string? known = await _api.GetConnectionClientIdAsync(peer, CancellationToken.None);
        var unknown = await _api.LookupConnectionAsync(new IPEndPoint(IPAddress.Loopback, 54322), CancellationToken.None);

        Assert.Equal(ConsumerChecksummed, known);
        Assert.Equal(new ConnectionLookup(ConnectionLookupOutcome.Unknown, null), unknown);
        Assert.Equal(["127.0.0.1:54321", "127.0.0.1:54322"], _server.Lookups);
    }

    [Fact]
    public async Task An_ipv4_mapped_peer_is_asked_for_as_the_ipv4_address_go_reports()
    {
        var mapped = new IPEndPoint(IPAddress.Loopback.MapToIPv6(), 40000);
        _server.Map(new IPEndPoint(IPAddress.Loopback, 40000), Consumer);

        Assert.Equal(ConsumerChecksummed, await _api.GetConnectionClientIdAsync(mapped, CancellationToken.None));
        Assert.Equal("[::1]:40001", DiodeConfigApi.PeerKey(new IPEndPoint(IPAddress.IPv6Loopback, 40001)));
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("fb6916095ca1df60bb79ce92ce3ea74c37c5d359")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d35A")]
    [InlineData("0xfB6916095Ca1df60bB79Ce92cE3Ea74c37c5d359")]
    public async Task A_malformed_client_id_is_refused(string clientId)
    {
        var peer = new IPEndPoint(IPAddress.Loopback, 50000);
        _server.Map(peer, clientId);

        var lookup = await _api.LookupConnectionAsync(peer, CancellationToken.None);

        Assert.Equal(new ConnectionLookup(ConnectionLookupOutcome.Invalid, null), lookup);
    }

    [Fact]
    public async Task A_client_that_is_not_listening_is_null_not_an_exception()
    {
        using var api = new DiodeConfigApi(new DiodeApiEndpoint(new IPEndPoint(IPAddress.Loopback, LoopbackPort.Free())));

        Assert.Null(await api.GetConfigAsync(CancellationToken.None));
        Assert.Equal(ConnectionLookupOutcome.Unavailable, (await api.LookupConnectionAsync(new IPEndPoint(IPAddress.Loopback, 1), CancellationToken.None)).Outcome);
        Assert.Equal(2, api.Failures);
    }

    [Theory]
    [InlineData(5_000)]
    [InlineData(60_000)]
    public async Task A_large_config_under_64_KB_is_read_whole(int bytes)
    {
        _server.LargeConfigBytes = bytes;

        var config = await _api.GetConfigAsync(CancellationToken.None);

        Assert.NotNull(config);
        Assert.Equal(FakeDiodeConfigApi.ClientAddress, config.Client);
        Assert.True(config.Ports!.Count > bytes / 80, $"only {config.Ports!.Count} ports read from a {bytes}-byte body");
        Assert.Equal(0, _api.OversizedResponses);
        _server.LargeConfigBytes = null;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_response_over_64_KB_is_counted_and_not_buffered(bool withContentLength)
    {
        _server.OversizedConfig = 64 << 20;
        _server.OversizedWithLength = withContentLength;

        var config = await _api.GetConfigAsync(CancellationToken.None);

        // Measured when the call returns: a client that read the whole 64 MB would return only after the server wrote it
        // (after it closes the connection, the server's writes are discarded, so later counts prove nothing).
        long written = _server.OversizedBytesWritten;
        Assert.Null(config);
        Assert.Equal(1, _api.OversizedResponses);
        Assert.True(written < 1 << 20, $"the server had written {written} bytes when the client returned: the client read on");

        _server.OversizedConfig = null;
        Assert.NotNull(await _api.GetConfigAsync(CancellationToken.None));
    }

    [Fact]
    public void Port_0_picks_one_free_loopback_port_and_keeps_it()
    {
        var endpoint = new DiodeApiEndpoint(0);

        string argument = endpoint.ApiAddressArgument;

        Assert.StartsWith("127.0.0.1:", argument, StringComparison.Ordinal);
        Assert.NotEqual(0, endpoint.EndPoint.Port);
        Assert.Equal(argument, endpoint.ApiAddressArgument);
        Assert.Equal("127.0.0.1:9123", new DiodeApiEndpoint(9123).ApiAddressArgument);
    }
}
