using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.DiodeClient;

/// <summary>
/// Consumers identified by the network, end to end: two simulated remote devices reach the agent through the stand-in
/// (each connection a real TCP peer the client opened to the published port, resolved by the client's config API),
/// the per-stream allow list lets one in and refuses the other, and a peer the client never opened is refused.
/// </summary>
[Collection(TimingSensitive.Name)]
[Trait("Tier", Tiers.Integration)]
public sealed class RemoteConsumerTests
{
    private const string Allowed = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359";
    private const string NotAllowed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    [Fact]
    public async Task An_allowed_device_gets_verified_frames_another_gets_403_and_a_peer_the_client_did_not_open_is_refused()
    {
        int allowedPort = LoopbackPort.Free();
        int otherPort = LoopbackPort.Free();
        var standIn = new Dictionary<string, string> { ["DIODE_STANDIN_REMOTES"] = $"{Allowed}={allowedPort};{NotAllowed}={otherPort}" };
        await using var agent = await DiodeAgentProcess.StartAsync(standIn: standIn, extra: $$""", "streams": { "env": { "allow": ["{{Allowed}}"] } }""");
        await agent.WaitForDiodeAsync(d => DiodeAgentProcess.Text(d, "state") == "published");
        using var identity = JsonDocument.Parse(await agent.Http.GetStringAsync("/identity"));
        string device = identity.RootElement.GetProperty("address").GetString()!;

        // The allowed device: signed frames of env that verify against the device address.
        using (var viaDiode = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{allowedPort}"), Timeout = TimeSpan.FromSeconds(20) })
        {
            using var history = JsonDocument.Parse(await WaitForFramesAsync(viaDiode));
            var verifier = new FrameVerifier(device);
            Assert.All(history.RootElement.EnumerateArray(), f =>
            {
                var verdict = verifier.Verify(Encoding.UTF8.GetBytes(f.GetRawText()));
                Assert.True(verdict.Accepted, verdict.Reason);
            });
            Assert.Equal(device, JsonDocument.Parse(await viaDiode.GetStringAsync("/identity")).RootElement.GetProperty("address").GetString());
        }

        // The other device: vouched for by the client, but not on the stream's allow list.
        using (var other = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{otherPort}"), Timeout = TimeSpan.FromSeconds(20) })
        {
            using var refused = await other.GetAsync("/streams/env/history?limit=1");
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
            using var reason = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.StartsWith($"consumer {NotAllowed} is not allowed to read stream \"env\"", reason.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.True((await other.GetAsync("/identity")).IsSuccessStatusCode, "identity stays readable to any vouched consumer");
        }

        // A connection straight to the published port, not opened by the client: closed before any HTTP.
        using (var stranger = new TcpClient())
        {
            await stranger.ConnectAsync("127.0.0.1", agent.ConsumerPort);
            var stream = stranger.GetStream();
            await stream.WriteAsync("GET /identity HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
            byte[] buffer = new byte[256];
            int read;
            try
            {
                read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (IOException)
            {
                read = 0;
            }

            Assert.Equal(0, read);
        }

        var lines = agent.Lines.ToList();
        Assert.Contains(lines, l => l.Contains($"consumer {Allowed} connected from 127.0.0.1:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"consumer {NotAllowed} connected from 127.0.0.1:", StringComparison.Ordinal));
        string metrics = await agent.Http.GetStringAsync("/metrics");
        Assert.Contains($"diode_edge_consumer_connections_total{{address=\"{Allowed}\"}}", metrics, StringComparison.Ordinal);
        Assert.Contains("diode_edge_consumer_refused_total{reason=\"unknown\"}", metrics, StringComparison.Ordinal);
    }

    private static async Task<string> WaitForFramesAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            string body = await http.GetStringAsync("/streams/env/history?limit=3");
            if (JsonDocument.Parse(body).RootElement.GetArrayLength() == 3)
            {
                return body;
            }

            Assert.True(DateTime.UtcNow < deadline, "no frames through the Diode client");
            await Task.Delay(100);
        }
    }
}
