using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Contract;
using Diode.Edge.Sensors;
using Diode.Edge.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Diode.Edge.Tests.EndToEnd;

/// <summary>The signed stream contract end to end: WebSocket and history (the subscribe command verifying against the device: <see cref="SignedStreamSubscribeTests"/>).</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class SignedStreamTests
{
    private const string Config = """{ "sensors": [ { "type": "simulated", "name": "env", "interval": "50ms" } ] }""";

    [Fact]
    public async Task WebSocket_consumers_get_one_verified_frame_per_text_message_and_can_resume()
    {
        await using var agent = await RunningAgent.StartAsync(Config);
        string address = await AddressAsync(agent);
        var verifier = new FrameVerifier(address);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{agent.Address.Authority}/streams/env/ws"), CancellationToken.None);

        var positions = new List<EventPosition>();
        var buffer = new byte[4096];
        while (positions.Count < 5)
        {
            var result = await socket.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            Assert.True(result.EndOfMessage);
            var verdict = verifier.Verify(buffer.AsSpan(0, result.Count));
            Assert.True(verdict.Accepted, verdict.Reason);
            Assert.Equal(0, verdict.Missed);
            positions.Add(verdict.Position);
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);

        using var resumed = new ClientWebSocket();
        await resumed.ConnectAsync(new Uri($"ws://{agent.Address.Authority}/streams/env/ws?lastEventId={positions[1]}"), CancellationToken.None);
        var again = await resumed.ReceiveAsync(buffer, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        using var frame = JsonDocument.Parse(buffer.AsMemory(0, again.Count));
        using var payload = JsonDocument.Parse(frame.RootElement.GetProperty("payload").GetString()!);
        Assert.Equal(positions[2].Seq, payload.RootElement.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task History_returns_frames_after_since_up_to_limit_and_rejects_bad_parameters()
    {
        await using var agent = await RunningAgent.StartAsync(Config);
        using (var first = JsonDocument.Parse(await agent.Http.GetStringAsync("/streams/env/ws".Replace("ws", "latest", StringComparison.Ordinal))))
        {
            Assert.True(first.RootElement.TryGetProperty("sig", out _));
        }

        await Task.Delay(500);
        using var all = JsonDocument.Parse(await agent.Http.GetStringAsync("/streams/env/history?limit=5"));
        var seqs = all.RootElement.EnumerateArray().Select(Seq).ToList();
        Assert.Equal([1, 2, 3, 4, 5], seqs);
        long epoch = Epoch(all.RootElement[0]);

        using var after = JsonDocument.Parse(await agent.Http.GetStringAsync($"/streams/env/history?since={epoch}-3&limit=2"));
        Assert.Equal([4, 5], after.RootElement.EnumerateArray().Select(Seq));

        foreach (string bad in new[] { "since=yesterday", "limit=0", "limit=100000", "limit=ten" })
        {
            using var response = await agent.Http.GetAsync("/streams/env/history?" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    private static async Task<string> AddressAsync(RunningAgent agent) =>
        JsonDocument.Parse(await agent.Http.GetStringAsync("/identity")).RootElement.GetProperty("address").GetString()!;

    private static long Seq(JsonElement frame) => JsonDocument.Parse(frame.GetProperty("payload").GetString()!).RootElement.GetProperty("seq").GetInt64();

    private static long Epoch(JsonElement frame) => JsonDocument.Parse(frame.GetProperty("payload").GetString()!).RootElement.GetProperty("epoch").GetInt64();
}
