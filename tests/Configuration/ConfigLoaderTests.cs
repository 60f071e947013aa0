using Diode.Edge.Agent.Configuration;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Configuration;

[Trait("Tier", Tiers.Unit)]
public sealed class ConfigLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("agent/config.dev.json")]
    [InlineData("packaging/config.json")]
    public void The_shipped_configs_are_valid_and_warning_free(string relativePath)
    {
        var config = ConfigLoader.Load(Path.Combine(RepoRoot.Path, relativePath));

        Assert.Empty(config.Warnings);
        Assert.NotEmpty(config.Options.Sensors);
        Assert.Equal("127.0.0.1", config.Options.Http.Listen);
    }

    [Fact]
    public void A_good_config_binds_durations_sizes_enums_and_defaults()
    {
        string path = _dir.File("config.json", """
            // comments are allowed
            {
              "http": { "port": 9090 },
              "store": { "retention": "36h", "maxSize": "2GB" },
              "diode": { "mode": "private", "allow": ["0x1111111111111111111111111111111111111111"] },
              "sensors": [ { "type": "simulated", "name": "env", "interval": "1m30s", "offsets": { "temperature": -0.4 } }, ],
            }
            """);

        var options = ConfigLoader.Load(path).Options;

        Assert.Equal(9090, options.Http.Port);
        Assert.Equal("127.0.0.1", options.Http.Listen);
        Assert.Equal(TimeSpan.FromHours(36), options.Store.Retention);
        Assert.Equal(2L << 30, options.Store.MaxSize);
        Assert.Equal(DiodeMode.Private, options.Diode.Mode);
        Assert.Equal(TimeSpan.FromSeconds(90), options.Sensors[0].Interval);
        Assert.Equal(-0.4, options.Sensors[0].Offsets["temperature"]);
        Assert.Equal(600, options.Hub.RingSize);
    }

    [Theory]
    [InlineData("""{ "sensors": [ { "type": "simulated", "name": "a" }, { "type": "simulated", "name": "b", "interval": "5 parsecs" } ] }""", "sensors[1].interval: \"5 parsecs\" is not a duration")]
    [InlineData("""{ "http": { "port": "eighty" } }""", "http.port: \"eighty\" is not a whole number")]
    [InlineData("""{ "http": { "port": 70000 } }""", "http.port: 70000 is not a TCP port")]
    [InlineData("""{ "http": { "listen": "localhost:80" } }""", "http.listen: \"localhost:80\" is not an IP address")]
    [InlineData("""{ "watchdog": { "enabled": "yes" } }""", "watchdog.enabled: \"yes\" is not true or false")]
    [InlineData("""{ "diode": { "mode": "secret" } }""", "diode.mode: \"secret\" is not one of public, protected, private")]
    [InlineData("""{ "diode": { "fleet": "0x123" } }""", "diode.fleet: \"0x123\" is not an address")]
    [InlineData("""{ "diode": { "ports": ["8080-80"] } }""", "diode.ports[0]: \"8080-80\" is not local:remote ports")]
    [InlineData("""{ "diode": { "fleet": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD" } }""", "diode.fleet: \"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD\" fails its EIP-55 checksum")]
    [InlineData("""{ "diode": { "allow": ["0xZZ"] } }""", "diode.allow[0]: \"0xZZ\" is not an address")]
    [InlineData("""{ "store": { "maxSize": "lots" } }""", "store.maxSize: \"lots\" is not a size")]
    [InlineData("""{ "sensors": [ { "name": "env" } ] }""", "sensors[0].type: required value is missing")]
    [InlineData("""{ "sensors": [ { "type": "simulated" } ] }""", "sensors[0].name: required value is missing")]
    [InlineData("""{ "sensors": [ { "type": "thermo-9000", "name": "env" } ] }""", "sensors[0].type: \"thermo-9000\" is not a known sensor type")]
    [InlineData("""{ "sensors": [ { "type": "simulated", "name": "Env Sensor" } ] }""", "sensors[0].name: \"Env Sensor\" is not a valid stream id")]
    [InlineData("""{ "sensors": [ { "type": "simulated", "name": "a" }, { "type": "simulated", "name": "a" } ] }""", "sensors[1].name: \"a\" is already the name of another sensor")]
    [InlineData("""{ "sensors": [ { "type": "simulated", "name": "a", "interval": "5ms" } ] }""", "sensors[0].interval: 5ms is out of range")]
    [InlineData("""{ "sensors": [ { "type": "simulated", "name": "a", "address": "0x99" } ] }""", "sensors[0].address: \"0x99\" is not an I2C address")]
    [InlineData("""{ "sensors": { "type": "simulated" } }""", "sensors: an object is not a list")]
    [InlineData("""{ "http": 8080 }""", "http: \"8080\" is not an object")]
    [InlineData("""{ "watchdog": { "timeout": "10s", "petInterval": "20s" } }""", "watchdog.petInterval: 20s must be above 0 and below watchdog.timeout (10s)")]
    [InlineData("""{ "watchdog": { "resetLoop": { "boots": 16 } } }""", "watchdog.resetLoop.boots: 16 is out of range (0 turns the guard off, at most 15")]
    [InlineData("""{ "watchdog": { "resetLoop": { "boots": "three" } } }""", "watchdog.resetLoop.boots: \"three\" is not a whole number")]
    [InlineData("""{ "watchdog": { "resetLoop": { "window": "10s" } } }""", "watchdog.resetLoop.window: 10s is out of range (1m to 7d)")]
    public void A_bad_value_is_an_error_naming_the_file_and_the_key(string json, string expected)
    {
        string path = _dir.File("config.json", json);

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));

        Assert.Contains(ex.Errors, e => e.ToString() == $"{path}: {expected}" || e.ToString().StartsWith($"{path}: {expected}", StringComparison.Ordinal));
    }

    [Fact]
    public void Checksummed_and_lower_case_addresses_are_accepted()
    {
        string path = _dir.File("config.json", """{ "diode": { "fleet": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "mode": "private", "allow": ["0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359"] } }""");

        Assert.Equal("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", ConfigLoader.Load(path).Options.Diode.Fleet);
    }

    [Fact]
    public void A_json_syntax_error_names_the_line()
    {
        string path = _dir.File("config.json", "{\n  \"http\": {\n    \"port\": 8080\n  \n  \"sensors\": []\n}\n");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));

        var error = Assert.Single(ex.Errors);
        Assert.StartsWith($"{path}:5:", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("invalid JSON", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_says_so_and_how_to_try_the_agent()
    {
        var explicitPath = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Path.Combine(_dir.Path, "nope.json")));
        Assert.Contains("no such file", explicitPath.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_is_a_warning_that_names_it_and_suggests_the_right_one()
    {
        string path = _dir.File("config.json", """{ "http": { "prot": 8081 }, "sensors": [ { "type": "simulated", "name": "env", "intervall": "2s" } ], "colour": "blue" }""");

        var config = ConfigLoader.Load(path);

        Assert.Contains(config.Warnings, w => w.ToString() == $"{path}: http.prot: unknown key, ignored (did you mean \"port\"?)");
        Assert.Contains(config.Warnings, w => w.ToString() == $"{path}: sensors[0].intervall: unknown key, ignored (did you mean \"interval\"?)");
        Assert.Contains(config.Warnings, w => w.ToString() == $"{path}: colour: unknown key, ignored");
        Assert.Equal(8080, config.Options.Http.Port);
    }

    [Fact]
    public void Set_overrides_win_and_errors_in_them_name_the_option()
    {
        string path = _dir.File("config.json", """{ "sensors": [ { "type": "simulated", "name": "env", "interval": "5s" } ] }""");

        var config = ConfigLoader.Load(path, ["http.port=8181", "sensors[0].interval=2s"]);
        Assert.Equal(8181, config.Options.Http.Port);
        Assert.Equal(TimeSpan.FromSeconds(2), config.Options.Sensors[0].Interval);

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, ["sensors[0].interval=soon"]));
        Assert.Equal("--set sensors[0].interval: sensors[0].interval: \"soon\" is not a duration (write e.g. 250ms, 5s, 1m, 1h, 7d)", Assert.Single(ex.Errors).ToString());

        var malformed = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, ["http.port"]));
        Assert.Contains("expected key=value", malformed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("5s", 5_000)]
    [InlineData("1m", 60_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("7d", 604_800_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("00:00:05", 5_000)]
    public void Durations_parse_and_print_back(string text, long milliseconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(milliseconds, (long)value.TotalMilliseconds);
        Assert.True(Duration.TryParse(Duration.Format(value), out var again));
        Assert.Equal(value, again);
    }

    [Theory]
    [InlineData("5 parsecs")]
    [InlineData("5")]
    [InlineData("s")]
    [InlineData("-5s")]
    [InlineData("")]
    public void Non_durations_are_rejected(string text) => Assert.False(Duration.TryParse(text, out _));
}
