using System.Diagnostics;
using System.Globalization;
using Diode.Edge.Agent.Http.Sse;
using Diode.Edge.Agent.Identity;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Diode.Edge.Tests.FanOut;

/// <summary>
/// The socket fan-out (agent/Http/Sse): SSE consumers on a connection's first request are written by one loop per stream
/// with a non-blocking send each, and fall back to a queue while their socket is full. Checked on the wire: a valid
/// chunked body whose chunks are whole events, every frame verified, in order, with gaps only where the hub's policy
/// dropped frames, and the connection released when the consumer goes.
/// </summary>
[Trait("Tier", Tiers.Unit)]
public sealed class SocketFanOutTests
{
    private const string Fast = """{ "store": { "enabled": false }, "sensors": [ { "type": "simulated", "name": "env", "interval": "20ms" } ] }""";

    [Fact]
    public async Task A_first_request_is_written_by_the_fan_out_as_whole_event_chunks_verified_and_in_order()
    {
        await using var agent = await RunningAgent.StartAsync(Fast);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var fanOuts = agent.Services.GetRequiredService<SseFanOuts>();
        var hub = agent.Services.GetRequiredService<StreamHub>();

        using (var connection = await RawSseConnection.OpenAsync(agent.Address))
        {
            await connection.SendRequestAsync(agent.Address, "/streams/env/events");
            var (status, headers) = await connection.ReadHeadAsync(timeout.Token);
            Assert.Equal(200, status);
            Assert.Equal("chunked", headers["transfer-encoding"]);
            Assert.Equal("close", headers["connection"]);
            Assert.Equal("text/event-stream; charset=utf-8", headers["content-type"]);
            Assert.Equal("no-cache", headers["cache-control"]);
            Assert.True(headers.ContainsKey("date"));
            Assert.Equal("retry: 2000\n\n", await connection.ReadChunkAsync(timeout.Token));
            Assert.Equal(1, fanOuts.Consumers);

            var seqs = await ReadVerifiedAsync(connection, Verifier(agent), 50, timeout.Token);
            Assert.Equal(Enumerable.Range((int)seqs[0], 50).Select(i => (long)i), seqs);
        }

        await Until(() => fanOuts.Consumers == 0 && hub.ConsumerCount == 0, "the consumer's connection closed but it is still counted");
    }

    [Fact]
    public async Task A_request_on_a_connection_that_carried_another_goes_through_Kestrel_and_keeps_the_connection()
    {
        await using var agent = await RunningAgent.StartAsync(Fast);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var fanOuts = agent.Services.GetRequiredService<SseFanOuts>();
        var hub = agent.Services.GetRequiredService<StreamHub>();

        using var connection = await RawSseConnection.OpenAsync(agent.Address);
        await connection.SendRequestAsync(agent.Address, "/streams");
        var (status, headers) = await connection.ReadHeadAsync(timeout.Token);
        Assert.Equal(200, status);
        string list = headers.TryGetValue("content-length", out string? length)
            ? await connection.ReadBodyAsync(int.Parse(length, CultureInfo.InvariantCulture), timeout.Token)
            : await connection.ReadChunkedBodyAsync(timeout.Token);
        Assert.Contains("\"env\"", list, StringComparison.Ordinal);

        await connection.SendRequestAsync(agent.Address, "/streams/env/events");
        (status, headers) = await connection.ReadHeadAsync(timeout.Token);
        Assert.Equal(200, status);
        Assert.Equal("chunked", headers["transfer-encoding"]);
        Assert.False(headers.ContainsKey("connection"));
        Assert.Equal("retry: 2000\n\n", await connection.ReadChunkAsync(timeout.Token));
        var seqs = await ReadVerifiedAsync(connection, Verifier(agent), 20, timeout.Token);
        Assert.Equal(Enumerable.Range((int)seqs[0], 20).Select(i => (long)i), seqs);
        Assert.Equal(0, fanOuts.Consumers);
        Assert.Equal(1, hub.ConsumerCount);
    }

    [Fact]
    public async Task Last_Event_ID_on_the_socket_sends_the_backlog_then_live_frames_without_a_gap_or_a_repeat()
    {
        await using var agent = await RunningAgent.StartAsync(Fast);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string resumeFrom;
        long lastSeen;
        using (var first = await RawSseConnection.OpenAsync(agent.Address))
        {
            await first.SendRequestAsync(agent.Address, "/streams/env/events");
            await first.ReadHeadAsync(timeout.Token);
            await first.ReadChunkAsync(timeout.Token);
            var events = new List<string>();
            for (int i = 0; i < 5; i++)
            {
                events.Add((await first.ReadChunkAsync(timeout.Token))!);
            }

            resumeFrom = Id(events[^1]);
            lastSeen = long.Parse(resumeFrom.Split('-')[1], CultureInfo.InvariantCulture);
        }

        // Frames go on being published (every 20 ms) while no one listens: they are the backlog.
        await Task.Delay(500);
        using var second = await RawSseConnection.OpenAsync(agent.Address);
        await second.SendRequestAsync(agent.Address, "/streams/env/events", $"Last-Event-ID: {resumeFrom}\r\n");
        Assert.Equal(200, (await second.ReadHeadAsync(timeout.Token)).Status);
        Assert.Equal("retry: 2000\n\n", await second.ReadChunkAsync(timeout.Token));
        var seqs = await ReadVerifiedAsync(second, Verifier(agent), 80, timeout.Token);
        Assert.Equal(Enumerable.Range((int)lastSeen + 1, 80).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task A_consumer_that_stops_reading_is_queued_loses_its_oldest_frames_and_gets_whole_chunks_and_live_frames_again()
    {
        await using var agent = await RunningAgent.StartAsync("""
            { "store": { "enabled": false }, "http": { "sendBufferSize": "4KB" }, "hub": { "consumerQueue": 16 },
              "sensors": [ { "type": "simulated", "name": "env", "interval": "10ms" } ] }
            """);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        agent.Services.GetRequiredService<StreamHub>().TryGet("env", out var stream);
        using var connection = await RawSseConnection.OpenAsync(agent.Address, receiveBuffer: 4096);
        await connection.SendRequestAsync(agent.Address, "/streams/env/events");
        await connection.ReadHeadAsync(timeout.Token);
        await connection.ReadChunkAsync(timeout.Token);
        var verifier = Verifier(agent);
        await ReadVerifiedAsync(connection, verifier, 10, timeout.Token);

        long droppedBefore = stream.DroppedFrames;
        // Not reading until more than 150 frames were dropped (room over the gap of 100 checked below): about 2 s at
        // 100 frames/s, where a fixed 4 s used to be waited.
        var quiet = System.Diagnostics.Stopwatch.StartNew();
        while (stream.DroppedFrames - droppedBefore <= 150)
        {
            Assert.True(quiet.Elapsed < TimeSpan.FromSeconds(10), $"a consumer that read nothing for 10 s at 100 frames/s should have lost its oldest frames ({stream.DroppedFrames - droppedBefore} dropped)");
            await Task.Delay(50);
        }

        // Reading again: the queue and the rest of the torn chunk first, whole; then live frames, each right after the last.
        long missed = 0;
        int consecutive = 0;
        long previous = 0;
        while (consecutive < 200)
        {
            string data = (await connection.ReadChunkAsync(timeout.Token))!;
            if (data.StartsWith(':'))
            {
                continue;
            }

            var verdict = verifier.Verify(System.Text.Encoding.UTF8.GetBytes(Data(data)));
            Assert.True(verdict.Accepted, verdict.Reason);
            missed += verdict.Missed;
            consecutive = verdict.Position.Seq == previous + 1 ? consecutive + 1 : 0;
            previous = verdict.Position.Seq;
        }

        Assert.True(missed > 100, $"the consumer should see the dropped frames as a gap ({missed} missed)");
        Assert.True(stream.Latest!.Position.Seq - previous < 50, $"after catching up the consumer should be live: it is at {previous}, the stream at {stream.Latest.Position.Seq}");
    }

    [Fact]
    public async Task Under_the_disconnect_policy_a_stalled_socket_consumer_gets_its_queue_then_a_proper_end_of_body_and_a_close()
    {
        await using var agent = await RunningAgent.StartAsync("""
            { "store": { "enabled": false }, "http": { "sendBufferSize": "4KB" }, "hub": { "consumerQueue": 8, "slowConsumer": "disconnect" },
              "sensors": [ { "type": "simulated", "name": "env", "interval": "10ms" } ] }
            """);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var hub = agent.Services.GetRequiredService<StreamHub>();
        hub.TryGet("env", out var stream);
        using var connection = await RawSseConnection.OpenAsync(agent.Address, receiveBuffer: 4096);
        await connection.SendRequestAsync(agent.Address, "/streams/env/events");
        await connection.ReadHeadAsync(timeout.Token);
        await connection.ReadChunkAsync(timeout.Token);

        await Until(() => stream.SlowDisconnects == 1, "the stalled consumer was not cut off");
        var verifier = Verifier(agent);
        long previous = 0;
        int frames = 0;
        while (await connection.ReadChunkAsync(timeout.Token) is { } data)
        {
            if (data.StartsWith(':'))
            {
                continue;
            }

            var verdict = verifier.Verify(System.Text.Encoding.UTF8.GetBytes(Data(data)));
            Assert.True(verdict.Accepted, verdict.Reason);
            Assert.True(previous == 0 || verdict.Position.Seq == previous + 1, $"frame {verdict.Position.Seq} after {previous}: the disconnect policy drops nothing before the end");
            previous = verdict.Position.Seq;
            frames++;
        }

        Assert.True(frames > 8, $"{frames} frames before the end");
        Assert.True(await connection.IsClosedAsync(timeout.Token), "the connection should be closed after the last chunk");

        // A client closes its end once it has read the end of the body (EventSource does, then reconnects): the agent,
        // lingering until then (at most SseSocketConsumer.LingerTimeout, 10 s), lets the consumer go at once. Waiting
        // for the linger to run out instead raced this check's own 10 s limit on a loaded machine.
        connection.Dispose();
        var released = Stopwatch.StartNew();
        await Until(() => hub.ConsumerCount == 0, "the cut-off consumer is still counted after the client closed");
        Assert.True(released.Elapsed < TimeSpan.FromSeconds(5), $"the consumer was released {released.Elapsed.TotalSeconds:F1} s after the client closed: the agent lingered on");
    }

    private static FrameVerifier Verifier(RunningAgent agent) => new(agent.Services.GetRequiredService<DeviceIdentity>().Address, "env");

    private static string Id(string sseEvent) => sseEvent.Split('\n')[0]["id: ".Length..];

    private static string Data(string sseEvent)
    {
        var lines = sseEvent.Split('\n');
        Assert.StartsWith("id: ", lines[0], StringComparison.Ordinal);
        Assert.Equal("event: frame", lines[1]);
        Assert.StartsWith("data: ", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("\n\n", sseEvent, StringComparison.Ordinal);
        return lines[2]["data: ".Length..];
    }

    /// <summary>Reads <paramref name="count"/> frames, each chunk one whole event whose frame verifies with no loss; returns their seqs.</summary>
    private static async Task<List<long>> ReadVerifiedAsync(RawSseConnection connection, FrameVerifier verifier, int count, CancellationToken cancellationToken)
    {
        var seqs = new List<long>();
        while (seqs.Count < count)
        {
            string data = (await connection.ReadChunkAsync(cancellationToken))!;
            if (data.StartsWith(':'))
            {
                continue;
            }

            var verdict = verifier.Verify(System.Text.Encoding.UTF8.GetBytes(Data(data)));
            Assert.True(verdict.Accepted, verdict.Reason);
            Assert.True(seqs.Count == 0 || verdict.Missed == 0, $"{verdict.Missed} frames missed before {verdict.Position}");
            Assert.Equal(verdict.Position.ToString(), Id(data));
            seqs.Add(verdict.Position.Seq);
        }

        return seqs;
    }

    private static async Task Until(Func<bool> condition, string message)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), message);
            await Task.Delay(20);
        }
    }
}
