using System.Text;
using System.Text.Json;
using Diode.Edge.Tests.Support;
using MQTTnet;
using MQTTnet.Protocol;

namespace Diode.Edge.Tests.Mqtt;

/// <summary>
/// Home Assistant's birth message: when it restarts it publishes <c>online</c> on <c>homeassistant/status</c>, and
/// entities whose discovery it does not receive again stay "unavailable". The real agent, a real mosquitto.
/// </summary>
[Trait("Tier", Tiers.Integration)]
public sealed class HomeAssistantBirthTests
{
    [Fact]
    public async Task Home_Assistant_saying_online_gets_every_discovery_config_and_the_current_state_again()
    {
        await using var broker = await Mosquitto.StartAsync();
        await using var agent = await RunningAgent.StartAsync(MqttAgent.Config(broker.Port, interval: "200ms"));
        string device = (await MqttAgent.AddressAsync(agent)).ToLowerInvariant();
        await MqttAgent.WaitForHealthAsync(agent.Http, "healthy", TimeSpan.FromSeconds(20));

        // A subscriber that joined after the agent announced itself, without retained messages (retain handling 2):
        // whatever discovery it sees now was sent again, not replayed by the broker.
        using var ha = new MqttClientFactory().CreateMqttClient();
        var received = new System.Collections.Concurrent.ConcurrentQueue<(string Topic, string Payload)>();
        ha.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload)));
            return Task.CompletedTask;
        };
        await ha.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId("home-assistant").Build());
        await ha.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(f => f.WithTopic("homeassistant/sensor/#").WithRetainHandling(MqttRetainHandling.DoNotSendOnSubscribe))
            .WithTopicFilter(f => f.WithTopic($"diode-edge/{device}/env/state").WithRetainHandling(MqttRetainHandling.DoNotSendOnSubscribe))
            .Build());
        await Task.Delay(1000);
        Assert.DoesNotContain(received, m => m.Topic.StartsWith("homeassistant/sensor/", StringComparison.Ordinal));

        // Home Assistant (re)starts and says so, as its MQTT integration does (not retained).
        await ha.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("homeassistant/status").WithPayload("online").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (received.Count(m => m.Topic.StartsWith("homeassistant/sensor/", StringComparison.Ordinal)) < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var configs = received.Where(m => m.Topic.StartsWith("homeassistant/sensor/", StringComparison.Ordinal)).Select(m => m.Topic).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            [$"homeassistant/sensor/diode-edge-{device[2..]}/env_pressure/config", $"homeassistant/sensor/diode-edge-{device[2..]}/env_relative_humidity/config", $"homeassistant/sensor/diode-edge-{device[2..]}/env_temperature/config"],
            configs);
        var state = received.Last(m => m.Topic == $"diode-edge/{device}/env/state");
        Assert.Equal(JsonValueKind.Number, JsonDocument.Parse(state.Payload).RootElement.GetProperty("temperature").ValueKind);
        var health = await MqttAgent.HealthAsync(agent.Http);
        Assert.Equal(1, health.GetProperty("homeAssistantRediscoveries").GetInt64());

        // "offline" (Home Assistant stopping) announces nothing.
        int before = received.Count(m => m.Topic.StartsWith("homeassistant/sensor/", StringComparison.Ordinal));
        await ha.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("homeassistant/status").WithPayload("offline").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await Task.Delay(1000);
        Assert.Equal(before, received.Count(m => m.Topic.StartsWith("homeassistant/sensor/", StringComparison.Ordinal)));
        Assert.Equal(1, (await MqttAgent.HealthAsync(agent.Http)).GetProperty("homeAssistantRediscoveries").GetInt64());
    }
}
