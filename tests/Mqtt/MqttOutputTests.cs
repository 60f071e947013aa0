using System.Text.Json;
using Diode.Edge.Agent.Mqtt;
using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;
using MQTTnet.Protocol;

namespace Diode.Edge.Tests.Mqtt;

/// <summary>The MQTT output against a real mosquitto: signed frames, retained values, the state and status topics, health and metrics.</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class MqttOutputTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Every_frame_arrives_signed_in_order_with_QoS_1_and_the_latest_is_retained()
    {
        await using var broker = await Mosquitto.StartAsync();
        await using var probe = await MqttProbe.ConnectAsync(broker.Port, "diode-edge/#");
        await using var agent = await RunningAgent.StartAsync(MqttAgent.Config(broker.Port));
        string address = await MqttAgent.AddressAsync(agent);
        string device = address.ToLowerInvariant();
        string frameTopic = $"diode-edge/{device}/env/frame";

        var received = await probe.WaitForAsync(m => m.Count(x => x.Topic == frameTopic) >= 10, Patience, "10 frames");

        var verifier = new FrameVerifier(address);
        var frames = received.Where(m => m.Topic == frameTopic).ToList();
        foreach (var frame in frames)
        {
            var verdict = verifier.Verify(System.Text.Encoding.UTF8.GetBytes(frame.Payload));
            Assert.True(verdict.Accepted, verdict.Reason);
            Assert.Equal(0, verdict.Missed);
            Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, frame.Qos);
        }

        Assert.Equal(Enumerable.Range(1, frames.Count).Select(i => (long)i), frames.Select(f => MqttAgent.Seq(f.Payload)));
        Assert.Contains(received, m => m.Topic == $"diode-edge/{device}/status" && m.Payload == "online");
        var state = received.Last(m => m.Topic == $"diode-edge/{device}/env/state");
        using (var values = JsonDocument.Parse(state.Payload))
        {
            Assert.Equal(["temperature", "relative_humidity", "pressure"], values.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.All(values.RootElement.EnumerateObject(), p => Assert.Equal(JsonValueKind.Number, p.Value.ValueKind));
        }

        // A subscriber that comes later gets the retained latest frame, the state and "online" at once.
        await using var late = await MqttProbe.ConnectAsync(broker.Port, $"diode-edge/{device}/#");
        var retained = await late.WaitForAsync(m => m.Count(x => x.Retain) >= 3, Patience, "retained frame, state and status");
        var latest = retained.First(m => m.Topic == frameTopic && m.Retain);
        Assert.True(new FrameVerifier(address).Verify(System.Text.Encoding.UTF8.GetBytes(latest.Payload)).Accepted);
        Assert.Contains(retained, m => m.Topic == $"diode-edge/{device}/status" && m.Retain && m.Payload == "online");

        var health = await MqttAgent.WaitForHealthAsync(agent.Http, "healthy", Patience);
        Assert.True(health.GetProperty("connected").GetBoolean());
        Assert.True(health.GetProperty("framesPublished").GetInt64() >= 10);
        string metrics = await agent.Http.GetStringAsync("/metrics");
        Assert.Matches(@"(?m)^diode_edge_mqtt_frames_published_total [1-9]\d*", metrics);
        Assert.Matches(@"(?m)^diode_edge_mqtt_connected 1", metrics);
    }

    [Fact]
    public async Task A_clean_stop_publishes_offline_and_a_broker_that_never_answers_is_degraded_not_unhealthy()
    {
        await using var broker = await Mosquitto.StartAsync();
        await using var probe = await MqttProbe.ConnectAsync(broker.Port, "diode-edge/+/status");
        var agent = await RunningAgent.StartAsync(MqttAgent.Config(broker.Port));
        await probe.WaitForAsync(m => m.Any(x => x.Payload == "online"), Patience, "online");
        await agent.DisposeAsync();
        await probe.WaitForAsync(m => m.Any(x => x.Payload == "offline"), Patience, "offline after the agent stopped");

        await broker.StopAsync();
        await using var orphan = await RunningAgent.StartAsync(MqttAgent.Config(broker.Port));
        var health = await MqttAgent.WaitForHealthAsync(orphan.Http, "degraded", Patience);
        Assert.Contains("not connected to 127.0.0.1:" + broker.Port, health.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var response = await orphan.Http.GetAsync("/health");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.False(health.GetProperty("connected").GetBoolean());
    }
}
