using System.Net.ServerSentEvents;
using System.Text.Json;
using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Store;

/// <summary>Consumers that come back, across agent restarts, get every frame they missed exactly once and in order.</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class StoreResumeTests
{
    private const string Config = """
        { "store": { "flushInterval": "100ms" }, "hub": { "ringSize": 5 }, "sensors": [ { "type": "simulated", "name": "env", "interval": "50ms" } ] }
        """;

    [Fact]
    public async Task A_consumer_resumes_after_a_restart_and_receives_every_frame_once_in_order()
    {
        using var dir = new TempDirectory();
        EventPosition lastSeen;
        await using (var agent = await RunningAgent.StartAsync(Config, dir))
        {
            var first = await ReadAsync(agent, null, 10);
            lastSeen = first[^1];
            await Task.Delay(1000);
        }

        await using (var agent = await RunningAgent.StartAsync(Config, dir))
        {
            await Task.Delay(500);
            // About 20 frames of the first run, the second run's backlog, then live ones at 50 ms: 50 cover the restart
            // with room (100 waited 2.5 s more for live frames that check nothing new).
            var resumed = await ReadAsync(agent, lastSeen, 50);

            Assert.Equal(lastSeen.Seq + 1, resumed[0].Seq);
            Assert.Equal(lastSeen.Epoch, resumed[0].Epoch);
            var newEpoch = resumed.FirstOrDefault(p => p.Epoch != lastSeen.Epoch);
            Assert.True(newEpoch != default, $"no frame of the second run after {lastSeen} in: {string.Join(", ", resumed)}");
            Assert.True(newEpoch.Epoch > lastSeen.Epoch);
            Assert.Equal(1, newEpoch.Seq);
            for (int i = 1; i < resumed.Count; i++)
            {
                bool next = resumed[i].Epoch == resumed[i - 1].Epoch ? resumed[i].Seq == resumed[i - 1].Seq + 1 : resumed[i].Seq == 1;
                Assert.True(next, $"{resumed[i]} after {resumed[i - 1]}");
            }

            int oldEpochFrames = resumed.Count(p => p.Epoch == lastSeen.Epoch);
            Assert.True(oldEpochFrames >= 15, $"only {oldEpochFrames} frames of the first run were resumed; the ring holds 5");
        }
    }

    [Fact]
    public async Task History_older_than_the_ring_comes_from_the_store()
    {
        await using var agent = await RunningAgent.StartAsync(Config);
        var live = await ReadAsync(agent, null, 30);
        await Task.Delay(300);

        var resumed = await ReadAsync(agent, new EventPosition(live[0].Epoch, live[0].Seq), 20);

        Assert.Equal(Enumerable.Range((int)live[0].Seq + 1, 20).Select(i => (long)i), resumed.Select(p => p.Seq));
    }

    internal static async Task<List<EventPosition>> ReadAsync(RunningAgent agent, EventPosition? after, int count)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/streams/env/events");
        if (after is { } a)
        {
            request.Headers.Add("Last-Event-ID", a.ToString());
        }

        using var response = await agent.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var positions = new List<EventPosition>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var item in SseParser.Create(body).EnumerateAsync(timeout.Token))
        {
            Assert.True(EventPosition.TryParse(item.EventId, out var position));
            using var frame = JsonDocument.Parse(item.Data);
            using var payload = JsonDocument.Parse(frame.RootElement.GetProperty("payload").GetString()!);
            Assert.Equal(position.Seq, payload.RootElement.GetProperty("seq").GetInt64());
            positions.Add(position);
            if (positions.Count == count)
            {
                break;
            }
        }

        return positions;
    }
}
