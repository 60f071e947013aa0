using System.Text.Json;

namespace Diode.Edge.Tests.Mqtt;

/// <summary>
/// What Home Assistant requires of a sensor's MQTT discovery config (its documented topic and id grammar, device
/// classes with their units, state classes, availability, device block): one check for every test that reads one.
/// </summary>
internal static class HomeAssistantDiscoveryAssert
{
    public static readonly Dictionary<string, string[]> DeviceClassUnits = new()
    {
        ["temperature"] = ["°C", "°F", "K"],
        ["humidity"] = ["%"],
        ["pressure"] = ["Pa", "hPa", "kPa", "bar", "cbar", "mbar", "mmHg", "inHg", "psi"],
        ["atmospheric_pressure"] = ["Pa", "hPa", "kPa", "bar", "cbar", "mbar", "mmHg", "inHg", "psi"],
        ["illuminance"] = ["lx"],
        ["voltage"] = ["V", "mV", "µV", "kV", "MV"],
    };

    public static readonly string[] StateClasses = ["measurement", "measurement_angle", "total", "total_increasing"];

    /// <summary>Checks one sensor discovery config; returns the quantity its value_template reads.</summary>
    public static string ValidSensorConfig(string topic, string payload, string device, HashSet<string> uniqueIds)
    {
        // <discovery_prefix>/<component>/[<node_id>/]<object_id>/config, ids limited to [a-zA-Z0-9_-].
        Assert.Matches("^homeassistant/sensor/[a-zA-Z0-9_-]+/[a-zA-Z0-9_-]+/config$", topic);
        using var document = JsonDocument.Parse(payload);
        var c = document.RootElement;
        Assert.Equal(JsonValueKind.Object, c.ValueKind);
        string stateTopic = c.GetProperty("state_topic").GetString()!;
        Assert.Matches($"^diode-edge/{device}/[a-z0-9_-]+/state$", stateTopic);
        Assert.True(uniqueIds.Add(c.GetProperty("unique_id").GetString()!), "unique_id repeats");
        Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("name").GetString()));
        var template = System.Text.RegularExpressions.Regex.Match(c.GetProperty("value_template").GetString()!, @"^\{\{ value_json\.([a-z0-9_]+) \}\}$");
        Assert.True(template.Success, "value_template reads one key of the state JSON");
        if (c.TryGetProperty("device_class", out var deviceClass))
        {
            Assert.True(DeviceClassUnits.TryGetValue(deviceClass.GetString()!, out var units), $"{deviceClass} is not a sensor device class");
            Assert.Contains(c.GetProperty("unit_of_measurement").GetString(), units);
        }

        Assert.Contains(c.GetProperty("state_class").GetString(), StateClasses);
        Assert.Equal($"diode-edge/{device}/status", c.GetProperty("availability_topic").GetString());
        Assert.Equal("online", c.GetProperty("payload_available").GetString());
        Assert.Equal("offline", c.GetProperty("payload_not_available").GetString());
        Assert.Equal(1, c.GetProperty("qos").GetInt32());
        var d = c.GetProperty("device");
        Assert.Equal([device], d.GetProperty("identifiers").EnumerateArray().Select(i => i.GetString()));
        foreach (string key in new[] { "name", "manufacturer", "model", "sw_version" })
        {
            Assert.False(string.IsNullOrWhiteSpace(d.GetProperty(key).GetString()), "device." + key);
        }

        Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("origin").GetProperty("name").GetString()));
        return template.Groups[1].Value;
    }
}
