using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Diode.Consumers;
using Diode.Edge.Tests.Support;
using Microsoft.Extensions.Options;

namespace Diode.Edge.Tests.Configuration;

/// <summary>The <c>streams</c> section and <c>diode.consumerPort</c>/<c>diode.apiPort</c> (config check through the real executable: <see cref="StreamAccessConfigExecutableTests"/>).</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class StreamAccessConfigTests : IDisposable
{
    private const string Allowed = "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359";

    private const string Other = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_defaults_are_consumer_port_8081_an_api_port_picked_at_start_and_no_stream_rules()
    {
        var options = ConfigLoader.Load(_dir.File("config.json", """{ "sensors": [ { "type": "simulated", "name": "env" } ] }""")).Options;

        Assert.Equal(8081, options.Diode.ConsumerPort);
        Assert.Equal(0, options.Diode.ApiPort);
        Assert.Empty(options.Streams);
    }

    [Fact]
    public void A_streams_section_binds_and_means_what_it_says()
    {
        string path = _dir.File("config.json", $$"""
            {
              "diode": { "consumerPort": 9081, "apiPort": 9082 },
              "sensors": [ { "type": "simulated", "name": "env" }, { "type": "simulated", "name": "door" }, { "type": "simulated", "name": "open" }, { "type": "simulated", "name": "none" } ],
              "streams": {
                "env": { "allow": ["{{Allowed}}"] },
                "door": { "allow": ["fleet", "{{Allowed}}"] },
                "open": { }
              }
            }
            """);

        var loaded = ConfigLoader.Load(path);
        var access = new StreamAccess(Options.Create<IReadOnlyDictionary<string, StreamAccessOptions>>(loaded.Options.Streams));

        Assert.Empty(loaded.Warnings);
        Assert.Equal((9081, 9082), (loaded.Options.Diode.ConsumerPort, loaded.Options.Diode.ApiPort));
        Assert.Equal([Allowed], loaded.Options.Streams["env"].Allow);
        Assert.True(access.Allows("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "env"));
        Assert.False(access.Allows(Other, "env"));
        Assert.True(access.Allows(Other, "door"));
        Assert.True(access.Allows(Other, "open"));
        Assert.True(access.Allows(Other, "none"));
    }

    [Fact]
    public void An_empty_allow_list_lets_no_consumer_read_the_stream()
    {
        var loaded = ConfigLoader.Load(_dir.File("config.json", """{ "sensors": [ { "type": "simulated", "name": "env" } ], "streams": { "env": { "allow": [] } } }"""));

        Assert.False(new StreamAccess(Options.Create<IReadOnlyDictionary<string, StreamAccessOptions>>(loaded.Options.Streams)).Allows(Allowed, "env"));
        Assert.Contains(loaded.Warnings, w => w.ToString().Contains("streams.env.allow: empty: no consumer", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{ "streams": { "env": { "allow": ["everyone"] } } }""", "streams.env.allow[0]: \"everyone\" is neither an address (0x followed by 40 hex digits) nor \"fleet\"")]
    [InlineData("""{ "streams": { "env": { "allow": ["fleet", "0x1234"] } } }""", "streams.env.allow[1]: \"0x1234\" is neither an address")]
    [InlineData("""{ "streams": { "env": { "allow": ["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"] } } }""", "streams.env.allow[0]: \"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD\" fails its EIP-55 checksum")]
    [InlineData("""{ "streams": { "kitchen": { "allow": ["fleet"] } } }""", "streams.kitchen: \"kitchen\" is not a stream (the streams are the sensors' names: env)")]
    [InlineData("""{ "diode": { "consumerPort": 70000 } }""", "diode.consumerPort: 70000 is not a TCP port")]
    [InlineData("""{ "diode": { "apiPort": -1 } }""", "diode.apiPort: -1 is not a TCP port")]
    [InlineData("""{ "http": { "port": 9000 }, "diode": { "enabled": true, "consumerPort": 9000 } }""", "diode.consumerPort: 9000 is also http.port")]
    public void A_bad_streams_or_port_value_is_an_error_naming_the_file_and_the_key(string json, string expected)
    {
        string path = _dir.File("config.json", json.Insert(1, """ "sensors": [ { "type": "simulated", "name": "env" } ], """));

        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));

        Assert.Contains(ex.Errors, e => e.ToString().StartsWith($"{path}: {expected}", StringComparison.Ordinal));
    }
}
