using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Configuration;

/// <summary>The diode section through the real executable: fleet-only access that is really fleet-only, and flags the agent owns.</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class DiodeConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("""{ "enabled": true, "mode": "protected" }""", "diode.fleet: protected mode needs your fleet contract's address")]
    [InlineData("""{ "mode": "protected", "fleet": "0x6000000000000000000000000000000000000000" }""", "diode.fleet: 0x6000000000000000000000000000000000000000 is the Diode client's default fleet, which admits every caller")]
    [InlineData("""{ "enabled": true, "mode": "protected", "fleet": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "extraArgs": ["-debug", "-logfilepath=/tmp/x"] }""", "diode.extraArgs[1]: \"-logfilepath=/tmp/x\": -logfilepath is refused")]
    [InlineData("""{ "mode": "public", "extraArgs": ["--update=true"] }""", "diode.extraArgs[0]: \"--update=true\": -update is refused")]
    [InlineData("""{ "mode": "public", "extraArgs": ["-configpath", "/etc/diode.yaml"] }""", "diode.extraArgs[0]: \"-configpath\": -configpath is refused")]
    public async Task A_diode_section_that_would_admit_anyone_or_blind_the_agent_exits_78_naming_the_key(string diode, string expected)
    {
        _dir.File("config.json", $$"""{ "diode": {{diode}}, "sensors": [] }""");

        var (code, _, stderr) = await AgentProcess.RunAsync(_dir.Path, null, "config", "check", "--config", "config.json");

        Assert.Equal(78, code);
        Assert.Contains("config.json: " + expected, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_packaged_config_keeps_the_client_off_until_a_fleet_is_set_and_says_how()
    {
        string packaged = File.ReadAllText(Path.Combine(RepoRoot.Path, "packaging", "config.json"));
        _dir.File("config.json", packaged);

        var (code, stdout, stderr) = await AgentProcess.RunAsync(_dir.Path, null, "config", "check", "--config", "config.json");

        Assert.True(code == 0, stderr);
        Assert.Contains("\"mode\": \"protected\"", stdout, StringComparison.Ordinal);
        var options = Diode.Edge.Agent.Configuration.ConfigLoader.Load(_dir.Path + "/config.json").Options.Diode;
        Assert.False(options.IsOn());
        Assert.Contains("off until diode.fleet names your fleet contract", options.WhyOff(), StringComparison.Ordinal);

        options.Fleet = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        Assert.True(options.IsOn());
    }
}
