using System.Diagnostics;
using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;
using Xunit.Abstractions;

namespace Diode.Edge.Tests.Mqtt;

/// <summary>
/// The broker goes away for 30 s while the sensor keeps reading: every frame of the outage reaches a subscriber
/// afterwards, exactly once and in order. The subscriber has a persistent session (mosquitto keeps its QoS 1 messages
/// while it is away, and its persistence file across the restart), so what it receives is all the agent published.
/// </summary>
[Collection(TimingSensitive.Name)]
[Trait("Tier", Tiers.Integration)]
public sealed class MqttOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Frames_of_a_30_s_broker_outage_arrive_afterwards_exactly_once_and_in_order()
    {
        await using var broker = await Mosquitto.StartAsync();
        await using var probe = new MqttProbe(broker.Port, ["diode-edge/+/env/frame"], clientId: "outage-probe", persistentSession: true);
        await probe.ConnectAsync();
        await using var agent = await RunningAgent.StartAsync(MqttAgent.Config(broker.Port, extraTop: """ "store": { "flushInterval": "1s" }, """));
        string address = await MqttAgent.AddressAsync(agent);
        await probe.WaitForAsync(m => m.Count >= 10, TimeSpan.FromSeconds(20), "10 frames before the outage");

        await broker.StopAsync();
        long before = MqttAgent.Seq(await agent.Http.GetStringAsync("/streams/env/latest"));
        await Task.Delay(Outage);
        await MqttAgent.WaitForHealthAsync(agent.Http, "degraded", TimeSpan.FromSeconds(5));
        long backlog = (await MqttAgent.HealthAsync(agent.Http)).GetProperty("backlog").GetInt64();
        long latestAtRestart = MqttAgent.Seq(await agent.Http.GetStringAsync("/streams/env/latest"));
        var restarted = Stopwatch.StartNew();
        await broker.StartAsync();
        await MqttAgent.WaitForHealthAsync(agent.Http, "healthy", TimeSpan.FromSeconds(30));
        var reconnectedAfter = restarted.Elapsed;
        await probe.ReconnectAsync(TimeSpan.FromSeconds(10));
        var received = await probe.WaitForAsync(m => m.Count > 0 && MqttAgent.Seq(m[^1].Payload) >= latestAtRestart + 5, TimeSpan.FromSeconds(60), $"frames up to {latestAtRestart + 5}");
        var caughtUp = restarted.Elapsed;

        var verifier = new FrameVerifier(address);
        var positions = new List<(long Epoch, long Seq)>();
        var published = MqttAgent.WithoutBrokerRedeliveries(received);
        foreach (var message in published)
        {
            var verdict = verifier.Verify(System.Text.Encoding.UTF8.GetBytes(message.Payload));
            Assert.True(verdict.Accepted, $"{verdict.Reason} at message {positions.Count} (after {positions.LastOrDefault()})");
            positions.Add(MqttAgent.Position(message.Payload));
        }

        Assert.Single(positions.Select(p => p.Epoch).Distinct());
        var seqs = positions.Select(p => p.Seq).ToList();
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
        long outageFrames = latestAtRestart - before;
        Assert.True(outageFrames >= 250, $"only {outageFrames} frames were taken during the outage");
        Assert.True(backlog >= 250, $"/health showed a backlog of {backlog} during the outage");
        output.WriteLine($"outage {Outage.TotalSeconds} s: {outageFrames} frames taken while the broker was down (backlog in /health {backlog}); the agent reconnected {reconnectedAfter.TotalSeconds:F1} s after the broker restarted and the subscriber had every frame up to {latestAtRestart + 5} {caughtUp.TotalSeconds:F1} s later; {seqs.Count} frames in all, none missing or repeated ({received.Count - published.Count} sent again by the broker itself, flagged DUP)");
    }
}
