using Diode.Edge.Agent.Configuration;
using Diode.Edge.Sensors.Reporting;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Configuration;

/// <summary><c>sensors[].report</c>: good rules bind, bad ones are errors naming the file and the key (exit 78 through the real executable: <see cref="ReportConfigExecutableTests"/>).</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class ReportConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Rules_per_stream_and_per_quantity_bind()
    {
        string path = _dir.File("config.json", """
            { "sensors": [ { "type": "dht22", "name": "greenhouse", "pin": 4, "interval": "10s",
                "report": { "deadband": 0.2, "heartbeat": "5m", "minInterval": "10s", "median": 3, "average": { "alpha": 0.3 },
                            "quantities": { "relative_humidity": { "deadband": "5%", "range": { "min": 0, "max": 100 }, "average": { "samples": 4 } } } } } ] }
            """);

        var config = ConfigLoader.Load(path);

        Assert.Empty(config.Warnings);
        var report = config.Options.Sensors[0].Report!;
        Assert.Equal("0.2", report.Deadband);
        Assert.Equal(TimeSpan.FromMinutes(5), report.Heartbeat);
        Assert.Equal(TimeSpan.FromSeconds(10), report.MinInterval);
        Assert.Equal(3, report.Median);
        Assert.Equal(0.3, report.Average!.Alpha);
        var humidity = QuantityRules.For(report, "relative_humidity");
        Assert.Equal(new Deadband(5, Percent: true), humidity.Deadband);
        Assert.Equal((0.0, 100.0), (humidity.Min, humidity.Max));
        Assert.Equal((4, (double?)null), (humidity.AverageSamples, humidity.AverageAlpha));
        Assert.Equal(TimeSpan.FromMinutes(5), humidity.Heartbeat);
        var temperature = QuantityRules.For(report, "temperature");
        Assert.Equal(new Deadband(0.2, Percent: false), temperature.Deadband);
        Assert.Equal(double.NegativeInfinity, temperature.Min);
    }

    [Theory]
    [InlineData("""{ "deadband": "a bit" }""", "sensors[0].report.deadband: \"a bit\" is not a deadband")]
    [InlineData("""{ "deadband": -0.2 }""", "sensors[0].report.deadband: \"-0.2\" is not a deadband")]
    [InlineData("""{ "deadband": "0%" }""", "sensors[0].report.deadband: \"0%\" is not a deadband")]
    [InlineData("""{ "heartbeat": "soon" }""", "sensors[0].report.heartbeat: \"soon\" is not a duration")]
    [InlineData("""{ "heartbeat": "10s", "minInterval": "1m" }""", "sensors[0].report.heartbeat: the heartbeat (10s) is shorter than minInterval (1m)")]
    [InlineData("""{ "minInterval": "0s" }""", "sensors[0].report.minInterval: 0s is out of range")]
    [InlineData("""{ "median": 0 }""", "sensors[0].report.median: 0 is out of range (1 to 99 samples)")]
    [InlineData("""{ "median": "three" }""", "sensors[0].report.median: \"three\" is not a whole number")]
    [InlineData("""{ "average": { "samples": 5, "alpha": 0.5 } }""", "sensors[0].report.average: set either samples (a moving average) or alpha (an exponential one), not both")]
    [InlineData("""{ "average": { "alpha": 1.5 } }""", "sensors[0].report.average.alpha: 1.5 is out of range")]
    [InlineData("""{ "range": { "min": 100, "max": 0 } }""", "sensors[0].report.range: min (100) must be below max (0)")]
    [InlineData("""{ "quantities": { "humidity": { "deadband": 1 } } }""", "sensors[0].report.quantities.humidity: a dht22 sensor has no quantity \"humidity\" (it publishes: temperature, relative_humidity)")]
    [InlineData("""{ "quantities": { "relative_humidity": { "range": { "min": 0, "max": "lots" } } } }""", "sensors[0].report.quantities.relative_humidity.range.max: \"lots\" is not a number")]
    [InlineData("""{ "minInterval": "1m", "quantities": { "temperature": { "heartbeat": "30s" } } }""", "sensors[0].report.quantities.temperature.heartbeat: the heartbeat (30s) is shorter than minInterval (1m)")]
    public void A_bad_rule_is_an_error_naming_the_file_and_the_key(string report, string expected)
    {
        string path = _dir.File("config.json", $$"""{ "sensors": [ { "type": "dht22", "name": "greenhouse", "pin": 4, "report": {{report}} } ] }""");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));

        Assert.Contains(ex.Errors, e => e.ToString().StartsWith($"{path}: {expected}", StringComparison.Ordinal));
    }

    [Fact]
    public void A_misspelt_rule_is_a_warning_that_suggests_the_right_key()
    {
        string path = _dir.File("config.json", """{ "sensors": [ { "type": "simulated", "name": "env", "report": { "deadbnad": 0.2 } } ] }""");

        var config = ConfigLoader.Load(path);

        Assert.Contains(config.Warnings, w => w.ToString() == $"{path}: sensors[0].report.deadbnad: unknown key, ignored (did you mean \"deadband\"?)");
    }
}
