using Diode.Edge.Agent.Configuration;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Mqtt;

/// <summary>A bad mqtt value stops the real executable's run with exit 78 naming the key.</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class MqttConfigExecutableTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Run_exits_78_naming_the_mqtt_key()
    {
        _dir.File("config.json", """{ "sensors": [ { "type": "simulated", "name": "env" } ], "mqtt": { "enabled": true, "port": 1883 } }""");

        var (code, _, stderr) = await AgentProcess.RunAsync(_dir.Path, null, "run", "--config", "config.json");

        Assert.Equal(78, code);
        Assert.StartsWith("error: config.json: mqtt.host: required when mqtt.enabled is true", stderr.Trim(), StringComparison.Ordinal);
    }
}
