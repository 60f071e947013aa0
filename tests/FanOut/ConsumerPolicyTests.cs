using System.Net;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Sensors;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.FanOut;

[Trait("Tier", Tiers.Unit)]
public sealed class ConsumerPolicyTests
{
    private static readonly StreamDescriptor Env = new("env", "simulated", [Quantity.Temperature], TimeSpan.FromSeconds(1));

    [Fact]
    public async Task Under_the_disconnect_policy_a_consumer_a_whole_queue_behind_is_cut_off_and_the_others_are_not()
    {
        var hub = new StreamHub(new HubOptions { ConsumerQueue = 8, SlowConsumer = SlowConsumerPolicy.Disconnect }, TimeProvider.System);
        var stream = hub.Register(Env);
        using var slow = hub.TrySubscribe(stream, out _)!;
        using var fast = hub.TrySubscribe(stream, out _)!;

        for (int i = 1; i <= 20; i++)
        {
            stream.Publish(Sample(i));
            Assert.True(fast.Reader.TryRead(out var frame));
            Assert.Equal(i, frame.Position.Seq);
        }

        Assert.True(slow.DisconnectedAsSlow);
        Assert.False(fast.DisconnectedAsSlow);
        Assert.Equal(1, stream.SlowDisconnects);
        var drained = new List<long>();
        await foreach (var frame in slow.Reader.ReadAllAsync())
        {
            drained.Add(frame.Position.Seq);
        }

        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), drained);
    }

    [Fact]
    public void Consumer_limits_per_stream_and_in_total_refuse_with_a_reason_and_free_up_on_dispose()
    {
        var hub = new StreamHub(new HubOptions { MaxConsumersPerStream = 2, MaxConsumers = 3 }, TimeProvider.System);
        var env = hub.Register(Env);
        var other = hub.Register(Env with { Id = "other" });

        var a = hub.TrySubscribe(env, out _);
        var b = hub.TrySubscribe(env, out _);
        Assert.Null(hub.TrySubscribe(env, out string? perStream));
        Assert.Contains("hub.maxConsumersPerStream", perStream, StringComparison.Ordinal);

        var c = hub.TrySubscribe(other, out _);
        Assert.Null(hub.TrySubscribe(other, out string? total));
        Assert.Contains("hub.maxConsumers", total, StringComparison.Ordinal);
        Assert.Equal(3, hub.ConsumerCount);

        a!.Dispose();
        a.Dispose();
        Assert.Equal(2, hub.ConsumerCount);
        using var d = hub.TrySubscribe(env, out _);
        Assert.NotNull(d);
        b!.Dispose();
        c!.Dispose();
    }

    [Fact]
    public async Task Beyond_the_limit_an_HTTP_consumer_gets_503_with_Retry_After()
    {
        await using var agent = await RunningAgent.StartAsync("""{ "hub": { "maxConsumersPerStream": 2 }, "sensors": [ { "type": "simulated", "name": "env", "interval": "100ms" } ] }""");
        using var first = await agent.Http.GetAsync("/streams/env/events", HttpCompletionOption.ResponseHeadersRead);
        using var second = await agent.Http.GetAsync("/streams/env/events", HttpCompletionOption.ResponseHeadersRead);

        using var third = await agent.Http.GetAsync("/streams/env/events", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, third.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), third.Headers.RetryAfter?.Delta);
        Assert.Contains("hub.maxConsumersPerStream", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Reading Sample(int i) => new(DateTimeOffset.UnixEpoch.AddSeconds(i), [new Measurement(Quantity.Temperature, i)]);
}
