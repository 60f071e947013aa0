using System.Text.Json;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Mqtt;

/// <summary>Config and small helpers shared by the MQTT tests: the real agent publishing to a real mosquitto.</summary>
internal static class MqttAgent
{
    /// <summary>An agent config with one simulated sensor "env" and the mqtt section given (JSON object members).</summary>
    public static string Config(int port, string extraMqtt = "", string interval = "100ms", string extraTop = "") => $$"""
        {
          "sensors": [ { "type": "simulated", "name": "env", "interval": "{{interval}}" } ],
          {{extraTop}}
          "mqtt": { "enabled": true, "host": "127.0.0.1", "port": {{port}}, "reconnectMaxDelay": "2s" {{extraMqtt}} }
        }
        """;

    public static async Task<string> AddressAsync(RunningAgent agent) =>
        JsonDocument.Parse(await agent.Http.GetStringAsync("/identity")).RootElement.GetProperty("address").GetString()!;

    /// <summary>The <c>mqtt</c> component of /health.</summary>
    public static async Task<JsonElement> HealthAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/health");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("components").GetProperty("mqtt").Clone();
    }

    /// <summary>Polls /health until the mqtt component has <paramref name="status"/>; returns it.</summary>
    public static async Task<JsonElement> WaitForHealthAsync(HttpClient http, string status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var mqtt = await HealthAsync(http);
            if (mqtt.GetProperty("status").GetString() == status)
            {
                return mqtt;
            }

            Assert.True(DateTime.UtcNow < deadline, $"mqtt never became {status}: {mqtt}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The frames as the agent published them: a message the broker itself sends again to a persistent subscriber
    /// (flagged DUP: its PUBACK was lost when the broker stopped, MQTT QoS 1 between broker and subscriber) is left
    /// out, after checking it repeats a frame already received. Any other repeat stays in, for the test to catch.
    /// </summary>
    public static List<MqttProbe.Received> WithoutBrokerRedeliveries(IReadOnlyList<MqttProbe.Received> received)
    {
        var seen = new HashSet<(long, long)>();
        var result = new List<MqttProbe.Received>();
        foreach (var message in received)
        {
            var position = Position(message.Payload);
            if (message.Dup && seen.Contains(position))
            {
                continue;
            }

            seen.Add(position);
            result.Add(message);
        }

        return result;
    }

    /// <summary>Waits until the agent has tried the broker and failed at least once; returns the mqtt component then.</summary>
    public static async Task<JsonElement> WaitForFailedAttemptAsync(HttpClient http, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var mqtt = await HealthAsync(http);
            if (mqtt.GetProperty("reconnects").GetInt64() >= 1)
            {
                return mqtt;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no failed attempt to connect: {mqtt}");
            await Task.Delay(100);
        }
    }

    public static long Seq(string frameJson)
    {
        using var frame = JsonDocument.Parse(frameJson);
        using var payload = JsonDocument.Parse(frame.RootElement.GetProperty("payload").GetString()!);
        return payload.RootElement.GetProperty("seq").GetInt64();
    }

    public static (long Epoch, long Seq) Position(string frameJson)
    {
        using var frame = JsonDocument.Parse(frameJson);
        using var payload = JsonDocument.Parse(frame.RootElement.GetProperty("payload").GetString()!);
        return (payload.RootElement.GetProperty("epoch").GetInt64(), payload.RootElement.GetProperty("seq").GetInt64());
    }
}
