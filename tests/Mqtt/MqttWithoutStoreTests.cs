using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Mqtt;

/// <summary>The documented limit without a store: an outage longer than the ring loses frames, counted and logged, and publishing goes on.</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class MqttWithoutStoreTests
{
    [Fact]
    public async Task Without_a_store_frames_older_than_the_ring_are_counted_lost_and_the_rest_arrive_in_order()
    {
        await using var broker = await Mosquitto.StartAsync();
        await using var probe = new MqttProbe(broker.Port, ["diode-edge/+/env/frame"], clientId: "ring-probe", persistentSession: true);
        await probe.ConnectAsync();
        await using var agent = await RunningAgent.StartAsync(MqttAgent.Config(broker.Port, interval: "50ms", extraTop: """ "store": { "enabled": false }, "hub": { "ringSize": 20 }, """));
        await probe.WaitForAsync(m => m.Count >= 5, TimeSpan.FromSeconds(20), "5 frames");

        await broker.StopAsync();
        long atStop = MqttAgent.Seq(await agent.Http.GetStringAsync("/streams/env/latest"));
        long latest;
        do
        {
            await Task.Delay(100);
            latest = MqttAgent.Seq(await agent.Http.GetStringAsync("/streams/env/latest"));
        }
        while (latest < atStop + 60);

        await broker.StartAsync();
        await probe.ReconnectAsync(TimeSpan.FromSeconds(10));
        var received = MqttAgent.WithoutBrokerRedeliveries(await probe.WaitForAsync(m => m.Count > 0 && MqttAgent.Seq(m[^1].Payload) >= latest + 5, TimeSpan.FromSeconds(30), "frames after the outage"));

        var seqs = received.Select(m => MqttAgent.Seq(m.Payload)).ToList();
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
        long missing = seqs[^1] - seqs.Count;
        var health = await MqttAgent.HealthAsync(agent.Http);
        Assert.True(missing >= 40, $"only {missing} frames missing, yet the ring holds 20 of 60+");
        Assert.Equal(missing, health.GetProperty("framesLost").GetInt64());
        Assert.Matches(@"(?m)^diode_edge_mqtt_frames_lost_total [1-9]", await agent.Http.GetStringAsync("/metrics"));
    }
}
