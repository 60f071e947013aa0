using System.Net;
using System.Net.Sockets;
using System.Text;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Http.Sse;
using Diode.Edge.Agent.Metrics;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Sensors;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.FanOut;

/// <summary>
/// One socket consumer driven as the fan-out drives it, in batches, over a real loopback TCP connection whose reader
/// stops: the socket takes part of a batch, the rest is queued under the hub's policy, and when the reader comes back
/// everything arrives as whole chunks, in order; every frame read was counted delivered once, and every frame offered
/// was either read or counted dropped.
/// </summary>
[Trait("Tier", Tiers.Unit)]
public sealed class SseSocketConsumerTests
{
    [Fact]
    public async Task Batches_cut_by_a_full_socket_arrive_whole_and_in_order_and_every_frame_is_delivered_or_dropped_once()
    {
        var hub = new StreamHub(new HubOptions { ConsumerQueue = 64 }, TimeProvider.System);
        var stream = hub.Register(new StreamDescriptor("env", "simulated", [Quantity.Temperature], TimeSpan.FromSeconds(1)));
        using var subscription = hub.TrySubscribe(stream, out _, fedByFanOut: true)!;
        var frames = Enumerable.Range(1, 600).Select(i => stream.Publish(new Reading(DateTimeOffset.UnixEpoch.AddSeconds(i), [new Measurement(Quantity.Temperature, i)]))).ToArray();

        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await client.ConnectAsync(listener.LocalEndPoint!);
        using var server = await listener.AcceptAsync();
        server.SendBufferSize = 4096;
        server.Blocking = false;

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var consumer = new SseSocketConsumer(server, subscription, new DeliveryMetrics(new AgentMetrics()));
        var serving = consumer.ServeAsync(() => Task.CompletedTask, stop.Token);
        await Task.Delay(100);

        // The fan-out's part: batches of 10, their chunks in one buffer, while the client reads nothing.
        for (int i = 0; i < frames.Length; i += 10)
        {
            var batch = frames.AsSpan(i, 10);
            consumer.Offer(batch, Concatenate(batch));
        }

        using var reader = RawSseConnection.On(client);
        var seqs = new List<long>();
        while (seqs.Count == 0 || seqs[^1] < 600)
        {
            string data = (await reader.ReadChunkAsync(stop.Token))!;
            Assert.StartsWith("id: ", data, StringComparison.Ordinal);
            Assert.EndsWith("\n\n", data, StringComparison.Ordinal);
            seqs.Add(long.Parse(data.Split('\n')[0].Split('-')[1], System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(seqs.Distinct().Count(), seqs.Count);
        Assert.True(stream.DroppedFrames > 0, "the queue of 64 should have overflowed");
        Assert.Equal(seqs.Count, subscription.Delivered);
        Assert.Equal(frames.Length, subscription.Delivered + stream.DroppedFrames);
        Assert.Equal(Enumerable.Range(1, seqs.Count(s => s <= seqs[0] + 5)).Select(i => (long)i), seqs.Take(seqs.Count(s => s <= seqs[0] + 5)));

        // Handed back to the fan-out: a new batch goes straight to the socket.
        var next = stream.Publish(new Reading(DateTimeOffset.UnixEpoch, [new Measurement(Quantity.Temperature, 0)]));
        await Task.Delay(200);
        consumer.Offer([next], next.SseChunk.Span);
        Assert.Equal(601, long.Parse((await reader.ReadChunkAsync(stop.Token))!.Split('\n')[0].Split('-')[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(seqs.Count + 1, subscription.Delivered);

        await stop.CancelAsync();
        await serving;
    }

    private static byte[] Concatenate(ReadOnlySpan<Frame> frames)
    {
        var bytes = new List<byte>();
        foreach (var frame in frames)
        {
            bytes.AddRange(frame.SseChunk.ToArray());
        }

        return [.. bytes];
    }
}
