using System.Diagnostics;
using System.Diagnostics.Metrics;
using Diode.Edge.Agent.Http.Sse;
using Diode.Edge.Agent.Metrics;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Diode.Edge.Tests.FanOut;

/// <summary>
/// A consumer served by the socket fan-out leaves Kestrel's HTTP layer (<see cref="DetachableConnection"/>): its request
/// ends at once, so no per-request state stays behind it, while its connection stays open and counted by Kestrel. Checked
/// with ASP.NET Core's and Kestrel's own meters of the agent under test, on real loopback connections.
/// </summary>
[Trait("Tier", Tiers.Unit)]
public sealed class DetachedConnectionTests
{
    private const string Fast = """{ "store": { "enabled": false }, "sensors": [ { "type": "simulated", "name": "env", "interval": "20ms" } ] }""";

    [Fact]
    public async Task Consumers_on_the_socket_hold_no_HTTP_request_but_keep_their_connections_and_their_frames()
    {
        using var meters = new ServerMeters();
        await using var agent = await RunningAgent.StartAsync(Fast);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var scope = agent.Services.GetRequiredService<IMeterFactory>();
        var fanOuts = agent.Services.GetRequiredService<SseFanOuts>();
        var consumers = new List<RawSseConnection>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                var connection = await RawSseConnection.OpenAsync(agent.Address);
                consumers.Add(connection);
                await connection.SendRequestAsync(agent.Address, "/streams/env/events");
                Assert.Equal(200, (await connection.ReadHeadAsync(timeout.Token)).Status);
                Assert.Equal("retry: 2000\n\n", await connection.ReadChunkAsync(timeout.Token));
            }

            await Until(() => meters.Value(scope, "http.server.active_requests") == 0, () => $"{meters.Value(scope, "http.server.active_requests")} HTTP requests still active behind 20 socket consumers");
            Assert.True(meters.Changes(scope, "http.server.active_requests") >= 40, "20 requests should have started and ended");
            Assert.Equal(20, fanOuts.Consumers);
            Assert.Equal(20, meters.Value(scope, "kestrel.active_connections"));

            // Still served, each frame a whole event chunk, after the request ended.
            foreach (var connection in consumers)
            {
                string? chunk = await connection.ReadChunkAsync(timeout.Token);
                Assert.StartsWith("id: ", chunk, StringComparison.Ordinal);
            }
        }
        finally
        {
            consumers.ForEach(c => c.Dispose());
        }

        await Until(() => fanOuts.Consumers == 0 && meters.Value(scope, "kestrel.active_connections") == 0, () => $"{fanOuts.Consumers} consumers and {meters.Value(scope, "kestrel.active_connections")} connections left after every consumer closed");
    }

    [Fact]
    public async Task A_consumer_that_sends_more_than_the_bound_after_its_request_is_closed_and_one_that_sends_a_little_is_not()
    {
        await using var agent = await RunningAgent.StartAsync(Fast);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var hub = agent.Services.GetRequiredService<StreamHub>();

        using var chatty = await RawSseConnection.OpenAsync(agent.Address);
        using var polite = await RawSseConnection.OpenAsync(agent.Address);
        foreach (var connection in new[] { chatty, polite })
        {
            await connection.SendRequestAsync(agent.Address, "/streams/env/events");
            Assert.Equal(200, (await connection.ReadHeadAsync(timeout.Token)).Status);
        }

        // A pipelined request is not answered: the connection belongs to the stream now.
        await polite.SendRequestAsync(agent.Address, "/streams");
        await chatty.SendRawAsync(new byte[DetachableConnection.MaxDiscardedInput + 4096]);

        // The chatty one's body just stops (no end chunk: it was cut off, not ended by the hub's policy), then the close.
        Assert.Equal(Ending.CutOff, await ReadUntilClosedAsync(chatty, timeout.Token));

        await Until(() => hub.ConsumerCount == 1, () => $"{hub.ConsumerCount} consumers counted after the chatty one was closed");
        Assert.Equal(1, agent.Services.GetRequiredService<DeliveryMetrics>().InputOverflows);
        for (int i = 0; i < 20; i++)
        {
            string? chunk = await polite.ReadChunkAsync(timeout.Token);
            Assert.NotNull(chunk);
            Assert.DoesNotContain("HTTP/1.1", chunk, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Stopping_the_agent_closes_its_socket_consumers()
    {
        var agent = await RunningAgent.StartAsync(Fast);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var connection = await RawSseConnection.OpenAsync(agent.Address);
        try
        {
            await connection.SendRequestAsync(agent.Address, "/streams/env/events");
            Assert.Equal(200, (await connection.ReadHeadAsync(timeout.Token)).Status);
            Assert.NotNull(await connection.ReadChunkAsync(timeout.Token));
        }
        finally
        {
            var stopping = Stopwatch.StartNew();
            await agent.DisposeAsync();
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"the agent took {stopping.Elapsed.TotalSeconds:F1} s to stop with a socket consumer connected");
        }

        Assert.NotEqual(Ending.Open, await ReadUntilClosedAsync(connection, timeout.Token));
    }

    private enum Ending
    {
        Open,
        LastChunk,
        CutOff,
    }

    /// <summary>Reads event chunks until the body ends: with its last chunk and a close, or cut off (a close or reset between chunks).</summary>
    private static async Task<Ending> ReadUntilClosedAsync(RawSseConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            while (await connection.ReadChunkAsync(cancellationToken) is { } chunk)
            {
                Assert.True(chunk.StartsWith("id: ", StringComparison.Ordinal) || chunk.StartsWith(':') || chunk.StartsWith("retry:", StringComparison.Ordinal), chunk);
            }

            return await connection.IsClosedAsync(cancellationToken) ? Ending.LastChunk : Ending.Open;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or System.Net.Sockets.SocketException)
        {
            return Ending.CutOff;
        }
    }

    private static async Task Until(Func<bool> condition, Func<string> message)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), message());
            await Task.Delay(20);
        }
    }
}
