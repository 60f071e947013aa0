using System.Diagnostics;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Diode.Edge.Tests.Support;
using Xunit.Abstractions;
using static Diode.Edge.Tests.Fleet.FleetAgents;

namespace Diode.Edge.Tests.Fleet;

/// <summary>
/// A deployment that only changes a sensor's interval (or reporting rules) is applied in place: the sensor's loop runs
/// again with its new settings on the same stream, so a consumer connected before stays connected, on the same
/// connection, and its frames go on with the next seq at the new rate. A real agent, a real SSE consumer.
/// </summary>
[Trait("Tier", Tiers.Integration)]
public sealed class DeploymentInPlaceTests(ITestOutputHelper output) : IDisposable
{
    private const string EnvSlow = """{ "type": "simulated", "name": "env", "interval": "1s" }""";
    private const string EnvFast = """{ "type": "simulated", "name": "env", "interval": "200ms" }""";

    private readonly TempDirectory _dir = new();
    private readonly FleetAgents _fleet = new(output);

    public void Dispose()
    {
        _fleet.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_new_sensor_interval_is_applied_in_place_and_the_connected_consumer_keeps_its_connection_and_its_seq()
    {
        _dir.File("config.json", _fleet.Config(0, EnvSlow));
        var agent = _fleet.Start(_dir.Path);
        var http = await ClientAsync(agent);
        string device = JsonDocument.Parse(await http.GetStringAsync("/identity")).RootElement.GetProperty("address").GetString()!;
        using var consumer = new HttpClient { BaseAddress = http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var response = await consumer.GetAsync("/streams/env/events", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var events = SseParser.Create(body).EnumerateAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);

        var before = await NextFramesAsync(events, 2);
        var (code, answer) = await PostAsync(http, Deployment(1, SensorsConfig(EnvFast), _fleet.Owners[0], _fleet.Owners[1]));
        Assert.True(code == HttpStatusCode.Accepted, answer.ToString());

        // The same connection goes on: at the new rate, from the next seq, never a gap or a new epoch.
        var clock = Stopwatch.StartNew();
        var after = await NextFramesAsync(events, 25);
        var all = before.Concat(after).ToList();
        for (int i = 1; i < all.Count; i++)
        {
            Assert.Equal(all[0].Epoch, all[i].Epoch);
            Assert.Equal(all[i - 1].Seq + 1, all[i].Seq);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"25 frames took {clock.Elapsed.TotalSeconds:F1} s: still at 1 s, not 200 ms");
        var status = await WaitForStateAsync(http, device, "applied", TimeSpan.FromSeconds(30)); // the same host answers: no restart
        Assert.Equal(1ul, status.GetProperty("appliedSeq").GetUInt64());
        var streams = JsonDocument.Parse(await http.GetStringAsync("/streams")).RootElement;
        Assert.Equal("200ms", streams[0].GetProperty("interval").GetString());
        Assert.False(agent.HasExited);
    }

    private static async Task<List<(long Epoch, long Seq)>> NextFramesAsync(IAsyncEnumerator<SseItem<string>> events, int count)
    {
        var frames = new List<(long, long)>();
        while (frames.Count < count)
        {
            Assert.True(await events.MoveNextAsync(), "the consumer's connection ended");
            if (events.Current.EventType != "frame")
            {
                continue;
            }

            using var frame = JsonDocument.Parse(events.Current.Data);
            using var payload = JsonDocument.Parse(frame.RootElement.GetProperty("payload").GetString()!);
            frames.Add((payload.RootElement.GetProperty("epoch").GetInt64(), payload.RootElement.GetProperty("seq").GetInt64()));
        }

        return frames;
    }
}
