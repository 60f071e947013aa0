using Diode.Edge.Agent.Configuration;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Mqtt;

/// <summary>The <c>mqtt</c> section: defaults, and every mistake an error naming the key (exit 78 from the real executable: <see cref="MqttConfigExecutableTests"/>).</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class MqttConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Mqtt_is_off_by_default_with_the_documented_defaults()
    {
        var options = ConfigLoader.Load(_dir.File("config.json", "{}")).Options.Mqtt;

        Assert.False(options.Enabled);
        Assert.Equal("diode-edge", options.TopicPrefix);
        Assert.True(options.Discovery.Enabled);
        Assert.Equal("homeassistant", options.Discovery.Prefix);
        Assert.False(options.Tls.Enabled);
        Assert.False(options.Tls.AllowUntrusted);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ReconnectMinDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ReconnectMaxDelay);
        Assert.Equal(1883, Agent.Mqtt.MqttClientSettings.Port(options));
        options.Tls.Enabled = true;
        Assert.Equal(8883, Agent.Mqtt.MqttClientSettings.Port(options));
    }

    [Theory]
    [InlineData("""{ "enabled": true }""", "mqtt.host: required when mqtt.enabled is true")]
    [InlineData("""{ "enabled": true, "host": "mqtt://broker:1883" }""", "mqtt.host: \"mqtt://broker:1883\" is not a host name or IP address")]
    [InlineData("""{ "enabled": true, "host": "broker", "port": 70000 }""", "mqtt.port: 70000 is not a TCP port")]
    [InlineData("""{ "enabled": true, "host": "broker", "port": "x" }""", "mqtt.port: \"x\" is not a whole number")]
    [InlineData("""{ "enabled": "maybe" }""", "mqtt.enabled: \"maybe\" is not true or false")]
    [InlineData("""{ "enabled": true, "host": "broker", "topicPrefix": "edge/#" }""", "mqtt.topicPrefix: \"edge/#\" is not a topic prefix")]
    [InlineData("""{ "enabled": true, "host": "broker", "discovery": { "prefix": "/ha" } }""", "mqtt.discovery.prefix: \"/ha\" is not a topic prefix")]
    [InlineData("""{ "enabled": true, "host": "broker", "keepAlive": "1s" }""", "mqtt.keepAlive: 1s is out of range")]
    [InlineData("""{ "enabled": true, "host": "broker", "reconnectMinDelay": "10s", "reconnectMaxDelay": "5s" }""", "mqtt.reconnectMaxDelay: 5s must be at least mqtt.reconnectMinDelay (10s)")]
    [InlineData("""{ "enabled": true, "host": "broker", "reconnectMaxDelay": "soon" }""", "mqtt.reconnectMaxDelay: \"soon\" is not a duration")]
    [InlineData("""{ "enabled": true, "host": "broker", "username": "u", "passwordFile": "/nonexistent/pw" }""", "mqtt.passwordFile: /nonexistent/pw: no such file")]
    [InlineData("""{ "enabled": true, "host": "broker", "tls": { "enabled": true, "caFile": "/nonexistent/ca.crt" } }""", "mqtt.tls.caFile: /nonexistent/ca.crt: no such file")]
    [InlineData("""{ "enabled": true, "host": "broker", "tls": { "enabled": true, "certFile": "/etc/hostname" } }""", "mqtt.tls.keyFile: a client certificate needs both")]
    [InlineData("""{ "enabled": true, "host": "broker", "tls": { "caFile": "/etc/hostname" } }""", "mqtt.tls.enabled: is false, but TLS files are given")]
    public void A_bad_mqtt_value_is_an_error_naming_the_key(string mqtt, string expected)
    {
        string path = _dir.File("config.json", $$"""{ "mqtt": {{mqtt}} }""");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));

        Assert.Contains(ex.Errors, e => e.ToString().StartsWith($"{path}: {expected}", StringComparison.Ordinal));
    }

    [Fact]
    public void A_password_file_others_can_read_is_refused_like_the_device_key_and_a_private_one_accepted()
    {
        string password = _dir.File("mqtt.pw", "secret\n");
        File.SetUnixFileMode(password, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        string path = _dir.File("config.json", $$"""{ "mqtt": { "enabled": true, "host": "broker", "username": "edge", "passwordFile": "{{password}}" } }""");

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));
        Assert.Contains(ex.Errors, e => e.ToString() == $"{path}: mqtt.passwordFile: {password}: the password is readable by others (mode 644); run: chmod 600 {password}");

        File.SetUnixFileMode(password, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal("edge", ConfigLoader.Load(path).Options.Mqtt.Username);
    }
}
