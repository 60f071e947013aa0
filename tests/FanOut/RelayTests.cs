using System.Net;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Hosting;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Agent.Relay;
using Diode.Edge.Contract;
using Diode.Edge.Sensors;
using Diode.Edge.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Diode.Edge.Tests.FanOut;

/// <summary>Untrusted relays: a chain delivers every frame once, in order, verified; a forged frame is dropped and counted.</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class RelayTests
{
    [Fact]
    public async Task A_chain_agent_relay_relay_consumer_delivers_every_frame_once_in_order_verified()
    {
        await using var agent = await RunningAgent.StartAsync("""{ "sensors": [ { "type": "simulated", "name": "env", "interval": "50ms" } ] }""");
        string device = JsonDocument.Parse(await agent.Http.GetStringAsync("/identity")).RootElement.GetProperty("address").GetString()!;
        await using var first = await StartRelayAsync(agent.Address, device);
        await using var second = await StartRelayAsync(first.BoundAddress(), device);
        await WaitForStreamAsync(second.BoundAddress());

        using var http = new HttpClient { BaseAddress = second.BoundAddress() };
        var verifier = new FrameVerifier(device);
        var seqs = new List<long>();
        using var response = await http.GetAsync("/streams/env/events", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        await foreach (var item in SseParser.Create(body).EnumerateAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token))
        {
            var verdict = verifier.Verify(Encoding.UTF8.GetBytes(item.Data));
            Assert.True(verdict.Accepted, verdict.Reason);
            Assert.Equal(0, verdict.Missed);
            seqs.Add(verdict.Position.Seq);
            if (seqs.Count == 30)
            {
                break;
            }
        }

        Assert.Equal(Enumerable.Range((int)seqs[0], 30).Select(i => (long)i), seqs);
        using var identity = JsonDocument.Parse(await http.GetStringAsync("/identity"));
        Assert.Equal(device, identity.RootElement.GetProperty("address").GetString());
    }

    [Fact]
    public async Task A_relay_fed_a_forged_frame_drops_it_counts_it_and_forwards_only_genuine_frames()
    {
        var device = new DeviceKey(DeviceKey.GeneratePrivateKeyHex());
        var forger = new DeviceKey(DeviceKey.GeneratePrivateKeyHex());
        var genuine = SignedFrames.Make(device, 3);
        var forged = SignedFrames.Make(forger, 4)[3];
        string events = string.Concat(new[] { genuine[0], genuine[1], forged, genuine[2] }.Select(f => Encoding.UTF8.GetString(f.Sse.Span)));
        await using var hostile = await StartHostileUpstreamAsync(device.Address, events);
        await using var relay = await StartRelayAsync(new Uri(hostile.Urls.First()), device.Address);
        using var http = new HttpClient { BaseAddress = relay.BoundAddress() };

        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement history;
        do
        {
            await Task.Delay(100);
            history = await GetHistoryAsync(http);
            Assert.True(DateTime.UtcNow < deadline, "the relay did not forward the genuine frames");
        }
        while (history.GetArrayLength() < 3);

        var verifier = new FrameVerifier(device.Address);
        Assert.All(history.EnumerateArray(), f => Assert.True(verifier.Verify(Encoding.UTF8.GetBytes(f.GetRawText())).Accepted));
        string metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("diode_edge_relay_frames_rejected_total 1", metrics, StringComparison.Ordinal);
        Assert.Contains("diode_edge_relay_frames_forwarded_total 3", metrics, StringComparison.Ordinal);
        using var health = JsonDocument.Parse(await http.GetStringAsync("/health"));
        Assert.Contains($"signed by {forger.Address}", health.RootElement.GetProperty("components").GetProperty("relay").GetProperty("lastRejection").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> GetHistoryAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/streams/env/history");
        return response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() : JsonDocument.Parse("[]").RootElement.Clone();
    }

    private static async Task<WebApplication> StartRelayAsync(Uri upstream, string device)
    {
        var app = RelayHost.Build(new RelayOptions(upstream, device, new IPEndPoint(IPAddress.Loopback, 0)), Microsoft.Extensions.Logging.LogLevel.Warning);
        await app.StartAsync();
        return app;
    }

    private static async Task WaitForStreamAsync(Uri relay)
    {
        using var http = new HttpClient { BaseAddress = relay };
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (JsonDocument.Parse(await http.GetStringAsync("/streams")).RootElement.GetArrayLength() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the relay did not discover the upstream's streams");
            await Task.Delay(100);
        }
    }

    private static async Task<WebApplication> StartHostileUpstreamAsync(string device, string events)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/identity", () => Results.Text($$$"""{"address":"{{{device}}}","fleet":null,"version":"0","statement":"{}","sig":"0x"}""", "application/json"));
        app.MapGet("/streams", () => Results.Text("""[{"id":"env","type":"simulated","quantities":[{"name":"temperature","unit":"Cel"}],"interval":"1s","epoch":1,"lastSeq":3,"consumers":0}]""", "application/json"));
        app.MapGet("/streams/env/events", async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(context.Request.Headers.ContainsKey("Last-Event-ID") ? string.Empty : events);
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await app.StartAsync();
        return app;
    }

}
