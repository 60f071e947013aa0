using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.EndToEnd;

/// <summary>The real host on a real port: what a consumer with curl or an SSE client sees (the subscribe command: <see cref="SubscribeCommandTests"/>).</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class AgentHostTests
{
    private const string TwoSensors = """
        {
          "sensors": [
            { "type": "simulated", "name": "env", "interval": "200ms" },
            { "type": "simulated", "name": "slow", "interval": "1h" }
          ]
        }
        """;

    [Fact]
    public async Task An_SSE_consumer_receives_frames_in_order_with_increasing_seq_within_one_interval()
    {
        await using var agent = await RunningAgent.StartAsync(TwoSensors);
        using var response = await agent.Http.GetAsync("/streams/env/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);

        var frames = new List<(string Id, JsonElement Payload)>();
        var started = DateTime.UtcNow;
        await using (var body = await response.Content.ReadAsStreamAsync())
        {
            await foreach (var item in SseParser.Create(body).EnumerateAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token))
            {
                Assert.Equal("frame", item.EventType);
                using var frame = JsonDocument.Parse(item.Data);
                frames.Add((item.EventId!, JsonDocument.Parse(frame.RootElement.GetProperty("payload").GetString()!).RootElement));
                if (frames.Count == 5)
                {
                    break;
                }
            }
        }

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "five frames at 200ms should take about a second");
        long epoch = frames[0].Payload.GetProperty("epoch").GetInt64();
        for (int i = 0; i < frames.Count; i++)
        {
            var p = frames[i].Payload;
            Assert.Equal(1, p.GetProperty("v").GetInt32());
            Assert.Equal("env", p.GetProperty("stream").GetString());
            Assert.Equal(epoch, p.GetProperty("epoch").GetInt64());
            Assert.Equal($"{epoch}-{p.GetProperty("seq").GetInt64()}", frames[i].Id);
            Assert.Equal("Cel", p.GetProperty("units").GetProperty("temperature").GetString());
            Assert.True(p.GetProperty("values").GetProperty("temperature").GetDouble() > 0);
            if (i > 0)
            {
                Assert.Equal(frames[i - 1].Payload.GetProperty("seq").GetInt64() + 1, p.GetProperty("seq").GetInt64());
            }
        }
    }

    [Fact]
    public async Task Last_Event_ID_resumes_right_after_the_given_frame()
    {
        await using var agent = await RunningAgent.StartAsync(TwoSensors);
        await WaitForSeqAsync(agent, "env", 4);
        using var latest = JsonDocument.Parse(await agent.Http.GetStringAsync("/streams/env/latest"));
        using var payload = JsonDocument.Parse(latest.RootElement.GetProperty("payload").GetString()!);
        long epoch = payload.RootElement.GetProperty("epoch").GetInt64();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/streams/env/events");
        request.Headers.Add("Last-Event-ID", $"{epoch}-2");
        using var response = await agent.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var ids = new List<string>();
        await foreach (var item in SseParser.Create(body).EnumerateAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token))
        {
            ids.Add(item.EventId!);
            if (ids.Count == 3)
            {
                break;
            }
        }

        Assert.Equal([$"{epoch}-3", $"{epoch}-4", $"{epoch}-5"], ids);
    }

    [Fact]
    public async Task Streams_lists_quantities_units_and_interval_and_latest_serves_a_frame()
    {
        await using var agent = await RunningAgent.StartAsync(TwoSensors);
        await WaitForSeqAsync(agent, "env", 1);

        using var streams = JsonDocument.Parse(await agent.Http.GetStringAsync("/streams"));
        var env = streams.RootElement.EnumerateArray().Single(s => s.GetProperty("id").GetString() == "env");
        Assert.Equal("200ms", env.GetProperty("interval").GetString());
        Assert.Equal("simulated", env.GetProperty("type").GetString());
        Assert.Contains(env.GetProperty("quantities").EnumerateArray(), q => q.GetProperty("name").GetString() == "pressure" && q.GetProperty("unit").GetString() == "hPa");
        Assert.True(env.GetProperty("lastSeq").GetInt64() >= 1);

        var missing = await agent.Http.GetAsync("/streams/nope/latest");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("GET /streams lists them", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_is_200_with_every_component_and_a_failing_noncritical_sensor_only_degrades()
    {
        await using var agent = await RunningAgent.StartAsync("""
            { "sensors": [ { "type": "simulated", "name": "env", "interval": "200ms" }, { "type": "simulated", "name": "broken", "interval": "200ms", "failEvery": 1 } ] }
            """);
        await WaitForSeqAsync(agent, "env", 2);

        var (status, health) = await GetHealthAsync(agent);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        var components = health.GetProperty("components");
        Assert.Equal("healthy", components.GetProperty("host").GetProperty("status").GetString());
        Assert.Equal("healthy", components.GetProperty("sensor:env").GetProperty("status").GetString());
        Assert.Equal("degraded", components.GetProperty("sensor:broken").GetProperty("status").GetString());
        Assert.Contains("simulated fault", components.GetProperty("sensor:broken").GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_is_503_when_a_critical_sensor_fails()
    {
        await using var agent = await RunningAgent.StartAsync("""
            { "sensors": [ { "type": "simulated", "name": "env", "interval": "200ms" }, { "type": "simulated", "name": "vital", "interval": "200ms", "failEvery": 1, "critical": true } ] }
            """);
        await WaitForSeqAsync(agent, "env", 2);

        var (status, health) = await GetHealthAsync(agent);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", health.GetProperty("status").GetString());
        Assert.Equal("unhealthy", health.GetProperty("components").GetProperty("sensor:vital").GetProperty("status").GetString());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetHealthAsync(RunningAgent agent)
    {
        using var response = await agent.Http.GetAsync("/health");
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static async Task WaitForSeqAsync(RunningAgent agent, string stream, long seq)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using var streams = JsonDocument.Parse(await agent.Http.GetStringAsync("/streams"));
            if (streams.RootElement.EnumerateArray().Single(s => s.GetProperty("id").GetString() == stream).GetProperty("lastSeq").GetInt64() >= seq)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"stream {stream} did not reach seq {seq}");
            await Task.Delay(50);
        }
    }
}
