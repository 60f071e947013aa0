using System.Text;
using System.Text.Json;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Contract;
using Diode.Edge.Sensors;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Streams;

[Trait("Tier", Tiers.Unit)]
public sealed class StreamHubTests
{
    private static readonly StreamDescriptor Env = new("env", "simulated", [Quantity.Temperature, Quantity.RelativeHumidity], TimeSpan.FromSeconds(1));

    [Fact]
    public void Every_subscriber_gets_every_frame_in_order_while_a_stalled_one_costs_a_bounded_queue()
    {
        var hub = new StreamHub(new HubOptions { RingSize = 32, ConsumerQueue = 64 }, TimeProvider.System);
        var stream = hub.Register(Env);
        var readers = Enumerable.Range(0, 200).Select(_ => stream.Subscribe()).ToList();
        using var stalled = stream.Subscribe();

        for (int i = 1; i <= 500; i++)
        {
            stream.Publish(Sample(i));
            foreach (var reader in readers)
            {
                Assert.True(reader.Reader.TryRead(out var frame));
                Assert.Equal(i, frame.Position.Seq);
            }
        }

        Assert.Equal(64, stalled.Queued);
        Assert.Equal(500 - 64, stalled.Dropped);
        Assert.True(stalled.Reader.TryRead(out var oldestKept));
        Assert.Equal(500 - 64 + 1, oldestKept.Position.Seq);
        Assert.All(readers, r => Assert.Equal(0, r.Dropped));
        Assert.Equal(201, stream.ConsumerCount);
        readers.ForEach(r => r.Dispose());
        Assert.Equal(1, stream.ConsumerCount);
    }

    [Fact]
    public async Task Concurrent_readers_never_see_a_frame_twice_or_out_of_order()
    {
        var hub = new StreamHub(new HubOptions { RingSize = 16, ConsumerQueue = 32 }, TimeProvider.System);
        var stream = hub.Register(Env);
        var subscriptions = Enumerable.Range(0, 50).Select(_ => stream.Subscribe()).ToList();
        var readers = subscriptions.Select(s => Task.Run(async () =>
        {
            long last = 0;
            int count = 0;
            await foreach (var frame in s.Reader.ReadAllAsync())
            {
                Assert.True(frame.Position.Seq > last, $"seq {frame.Position.Seq} after {last}");
                last = frame.Position.Seq;
                count++;
            }

            return (count, last);
        })).ToList();

        const int frames = 10_000;
        for (int i = 1; i <= frames; i++)
        {
            stream.Publish(Sample(i));
        }

        subscriptions.ForEach(s => s.Dispose());
        var results = await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(30));
        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(frames, results[i].count + subscriptions[i].Dropped);
        }
    }

    [Fact]
    public void The_ring_keeps_the_last_frames_and_resume_continues_after_a_position_without_gaps_or_repeats()
    {
        var hub = new StreamHub(new HubOptions { RingSize = 8, ConsumerQueue = 64 }, TimeProvider.System);
        var stream = hub.Register(Env);
        for (int i = 1; i <= 20; i++)
        {
            stream.Publish(Sample(i));
        }

        Assert.Equal(Enumerable.Range(13, 8).Select(i => (long)i), stream.FramesAfter(null, int.MaxValue).Select(f => f.Position.Seq));
        Assert.Equal(20, stream.Latest!.Position.Seq);

        using var resumed = stream.Subscribe(new EventPosition(hub.Epoch, 17));
        stream.Publish(Sample(21));

        var seqs = new List<long>();
        while (resumed.Reader.TryRead(out var f))
        {
            seqs.Add(f.Position.Seq);
        }

        Assert.Equal([18, 19, 20, 21], seqs);
    }

    [Fact]
    public void A_frame_is_encoded_once_in_the_contract_format()
    {
        var hub = new StreamHub(new HubOptions(), TimeProvider.System);
        var stream = hub.Register(Env);
        var at = new DateTimeOffset(2026, 11, 24, 10, 0, 0, 123, TimeSpan.Zero);

        var frame = stream.Publish(new Reading(at, [new Measurement(Quantity.Temperature, 21.5), new Measurement(Quantity.RelativeHumidity, 40)]));

        string payload = Encoding.UTF8.GetString(frame.Payload.Span);
        Assert.Equal(
            $$$"""{"v":1,"stream":"env","epoch":{{{hub.Epoch}}},"seq":1,"ts":"2026-11-24T10:00:00.123Z","values":{"temperature":21.5,"relative_humidity":40},"units":{"temperature":"Cel","relative_humidity":"%"}}""",
            payload);
        using var json = JsonDocument.Parse(frame.Json);
        Assert.Equal(payload, json.RootElement.GetProperty("payload").GetString());
        Assert.False(json.RootElement.TryGetProperty("sig", out _));
        Assert.Equal($"id: {hub.Epoch}-1\nevent: frame\ndata: {Encoding.UTF8.GetString(frame.Json.Span)}\n\n", Encoding.UTF8.GetString(frame.Sse.Span));
    }

    [Theory]
    [InlineData("1795565985323-42", true)]
    [InlineData("1795565985323", false)]
    [InlineData("-4", false)]
    [InlineData("a-b", false)]
    public void Event_positions_parse_like_the_SSE_ids(string text, bool valid) =>
        Assert.Equal(valid, EventPosition.TryParse(text, out _));

    private static Reading Sample(int i) =>
        new(DateTimeOffset.UnixEpoch.AddSeconds(i), [new Measurement(Quantity.Temperature, i), new Measurement(Quantity.RelativeHumidity, 50)]);
}
