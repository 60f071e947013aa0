using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Diode.Consumers;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Configuration;

/// <summary>A bad allow entry through the real executable's config check: exit 78.</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class StreamAccessConfigExecutableTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Config_check_exits_78_for_a_bad_allow_entry()
    {
        string path = _dir.File("config.json", """{ "sensors": [ { "type": "simulated", "name": "env" } ], "streams": { "env": { "allow": ["nobody"] } } }""");

        var (code, _, stderr) = await AgentProcess.RunAsync(_dir.Path, null, "config", "check", "--config", path);

        Assert.Equal(78, code);
        Assert.Contains("streams.env.allow[0]", stderr, StringComparison.Ordinal);
    }
}
