using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Configuration.Validation;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Configuration;

/// <summary>
/// How the source-generated options validator's results name their key: the path it validated becomes the config key,
/// a key holding spaces survives the validator's "member: message" text, and warnings stay warnings.
/// </summary>
[Trait("Tier", Tiers.Unit)]
public sealed class ConfigRuleTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("AgentOptions.Http.Port", "http:port")]
    [InlineData("AgentOptions.Sensors[12].Interval", "sensors:12:interval")]
    [InlineData("AgentOptions.Watchdog.Validate", "watchdog")]
    [InlineData("AgentOptions.Validate", "")]
    [InlineData("AgentOptions", "")]
    [InlineData(null, "")]
    public void A_validation_path_is_the_config_key_it_is_about(string? path, string key) =>
        Assert.Equal(key, ConfigRule.KeyOf(path));

    [Theory]
    [InlineData("my stream")]
    [InlineData("100%")]
    public void A_key_with_spaces_or_percent_signs_is_named_whole(string stream)
    {
        string json = $$"""{ "sensors": [ { "type": "simulated", "name": "env" } ], "streams": { "{{stream}}": { } } }""";
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(_dir.File("config.json", json)));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("streams." + stream, error.Key);
        Assert.Equal($"\"{stream}\" is not a stream (the streams are the sensors' names: env)", error.Message);
    }

    [Fact]
    public void Errors_from_every_kind_of_rule_come_together_and_warnings_stay_warnings()
    {
        // An attribute (hub.ringSize), a section's own rule (store.retention), a library section's validator
        // (watchdog.device, sensors[0].interval) and a rule across sections (a duplicate stream id), in one load.
        string json = """
            {
              "hub": { "ringSize": 0 },
              "store": { "retention": "0s" },
              "watchdog": { "device": "dev/watchdog" },
              "sensors": [ { "type": "simulated", "name": "env", "interval": "5ms" }, { "type": "simulated", "name": "env" } ]
            }
            """;
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(_dir.File("config.json", json)));

        Assert.Equal(
            ["hub.ringSize", "sensors[0].interval", "sensors[1].name", "store.retention", "watchdog.device"],
            ex.Errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains(ex.Errors, e => e.Key == "hub.ringSize" && e.Message == "0 is out of range (1 to 1000000 frames)");

        var warned = ConfigLoader.Load(_dir.File("warn.json", """{ "sensors": [ { "type": "simulated", "name": "env", "bus": 1 } ] }"""));
        var warning = Assert.Single(warned.Warnings);
        Assert.Equal(("sensors[0].bus", "ignored: a simulated sensor is not on an I2C bus"), (warning.Key, warning.Message));
    }
}
