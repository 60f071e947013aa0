using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Configuration;

/// <summary>A value of the wrong JSON type is an error naming the key and the type expected, never the default without a word.</summary>
[Trait("Tier", Tiers.Hostile)]
public sealed class WrongJsonTypeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("""{ "store": { "maxSize": [1] } }""", "store.maxSize: an array is not a size (write e.g. 64MB, 2GB)")]
    [InlineData("""{ "store": { "maxSize": [] } }""", "store.maxSize: an array is not a size (write e.g. 64MB, 2GB)")]
    [InlineData("""{ "store": { "maxSize": {} } }""", "store.maxSize: an object is not a size (write e.g. 64MB, 2GB)")]
    [InlineData("""{ "store": { "maxSize": null } }""", "store.maxSize: null is not a size (write e.g. 64MB, 2GB)")]
    [InlineData("""{ "sensors": [ { "type": "simulated", "name": "a", "interval": { "a": 1 } } ] }""", "sensors[0].interval: an object is not a duration (write e.g. 250ms, 5s, 1m, 1h, 7d)")]
    [InlineData("""{ "sensors": [ { "type": "simulated", "name": "a", "interval": {} } ] }""", "sensors[0].interval: an object is not a duration (write e.g. 250ms, 5s, 1m, 1h, 7d)")]
    [InlineData("""{ "watchdog": { "enabled": "yes" } }""", "watchdog.enabled: \"yes\" is not true or false")]
    [InlineData("""{ "watchdog": { "enabled": [] } }""", "watchdog.enabled: an array is not true or false")]
    [InlineData("""{ "http": { "port": true } }""", "http.port: true is not a whole number")]
    [InlineData("""{ "store": [] }""", "store: an array is not an object")]
    [InlineData("""{ "sensors": {} }""", "sensors: an object is not a list")]
    [InlineData("""{ "sensors": [ { "type": "bme280", "name": "a", "address": 300 } ] }""", "sensors[0].address: \"300\" is not an I2C address (0x03 to 0x77, e.g. \"0x76\")")]
    [InlineData("""{ "sensors": [ { "type": "bme280", "name": "a", "address": -1 } ] }""", "sensors[0].address: \"-1\" is not an I2C address (0x03 to 0x77, e.g. \"0x76\")")]
    [InlineData("""{ "watchdog": { "checks": { "maxTemperature": "NaN" } } }""", "watchdog.checks.maxTemperature: \"NaN\" is not a number")]
    [InlineData("""{ "watchdog": { "checks": { "maxTemperature": "Infinity" } } }""", "watchdog.checks.maxTemperature: \"Infinity\" is not a number")]
    public async Task A_value_of_the_wrong_type_exits_78_naming_the_key_and_the_type(string json, string expected)
    {
        _dir.File("config.json", json);

        var (code, _, stderr) = await AgentProcess.RunAsync(_dir.Path, null, "config", "check", "--config", "config.json");

        Assert.Equal(78, code);
        Assert.Equal("error: config.json: " + expected, stderr.Trim());
    }

    [Fact]
    public async Task Null_stays_a_value_where_it_means_something()
    {
        _dir.File("config.json", """{ "diode": { "enabled": null }, "sensors": [ { "type": "simulated", "name": "a" } ] }""");

        var (code, _, stderr) = await AgentProcess.RunAsync(_dir.Path, null, "config", "check", "--config", "config.json");

        Assert.Equal(0, code);
        Assert.DoesNotContain("error", stderr, StringComparison.Ordinal);
    }
}
