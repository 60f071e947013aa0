using System.Text;
using System.Text.Json;
using Diode.Edge.Agent.Streams;
using Diode.Edge.Sensors;

namespace Diode.Edge.Agent.Mqtt;

/// <summary>
/// Home Assistant MQTT discovery: one retained config message per quantity of every stream, at
/// <c>&lt;discovery prefix&gt;/sensor/&lt;node_id&gt;/&lt;stream&gt;_&lt;quantity&gt;/config</c> (<c>binary_sensor</c> for the
/// state of a type whose descriptor says <c>BinaryStates</c>: gpio-input), pointing at the stream's <c>state</c> topic, all grouped under one device per agent.
/// </summary>
internal static class HomeAssistantDiscovery
{
    /// <summary>One discovery message: its topic and its JSON payload.</summary>
    public readonly record struct Message(string Topic, byte[] Payload);

    public static IEnumerable<Message> Build(string discoveryPrefix, MqttTopics topics, IEnumerable<StreamDescriptor> streams, string version)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(streams);
        string nodeId = "diode-edge-" + topics.Device[2..];
        foreach (var stream in streams)
        {
            bool binaryStates = SensorCatalog.Find(stream.Type)?.BinaryStates ?? false;
            foreach (var quantity in stream.Quantities)
            {
                bool binary = binaryStates && quantity.Unit == "1";
                string component = binary ? "binary_sensor" : "sensor";
                string objectId = $"{stream.Id}_{quantity.Name}";
                yield return new Message($"{discoveryPrefix}/{component}/{nodeId}/{objectId}/config", Payload(nodeId, objectId, topics, stream, quantity, binary, version));
            }
        }
    }

    /// <summary>Home Assistant's unit for a UCUM unit (the stream contract's); null when the quantity has none (a count, a state).</summary>
    public static string? Unit(string ucum) => ucum switch
    {
        "Cel" => "°C",
        "Ohm" => "Ω",
        "1" => null,
        _ => ucum,
    };

    /// <summary>Home Assistant's sensor device class for a quantity, from its unit and name; null when none fits.</summary>
    public static string? DeviceClass(Quantity quantity) => quantity.Unit switch
    {
        "Cel" => "temperature",
        "%" when quantity.Name.Contains("humidity", StringComparison.Ordinal) => "humidity",
        "hPa" => "pressure",
        "lx" => "illuminance",
        "V" => "voltage",
        _ => null,
    };

    private static byte[] Payload(string nodeId, string objectId, MqttTopics topics, StreamDescriptor stream, Quantity quantity, bool binary, string version)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("name", $"{stream.Id} {quantity.Name.Replace('_', ' ')}");
            json.WriteString("unique_id", $"{nodeId}_{objectId}");
            json.WriteString("state_topic", topics.State(stream.Id));
            if (binary)
            {
                json.WriteString("value_template", $"{{{{ 'ON' if value_json.{quantity.Name} else 'OFF' }}}}");
                json.WriteString("payload_on", "ON");
                json.WriteString("payload_off", "OFF");
            }
            else
            {
                json.WriteString("value_template", $"{{{{ value_json.{quantity.Name} }}}}");
                if (Unit(quantity.Unit) is { } unit)
                {
                    json.WriteString("unit_of_measurement", unit);
                }

                if (DeviceClass(quantity) is { } deviceClass)
                {
                    json.WriteString("device_class", deviceClass);
                }

                json.WriteString("state_class", "measurement");
            }

            json.WriteString("availability_topic", topics.Status);
            json.WriteString("payload_available", MqttTopics.Online);
            json.WriteString("payload_not_available", MqttTopics.Offline);
            json.WriteNumber("qos", 1);
            json.WriteStartObject("device");
            json.WriteStartArray("identifiers");
            json.WriteStringValue(topics.Device);
            json.WriteEndArray();
            json.WriteString("name", "Diode.Edge " + topics.Device[..10]);
            json.WriteString("manufacturer", "Diode.Edge");
            json.WriteString("model", "diode-edge agent");
            json.WriteString("sw_version", version);
            json.WriteEndObject();
            json.WriteStartObject("origin");
            json.WriteString("name", "diode-edge");
            json.WriteString("sw_version", version);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The plain values of a frame, <c>{"temperature":21.3,…}</c>, for the state topic.</summary>
    public static byte[] State(Frame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        using var payload = JsonDocument.Parse(frame.Payload);
        return Encoding.UTF8.GetBytes(payload.RootElement.GetProperty("values").GetRawText());
    }
}
