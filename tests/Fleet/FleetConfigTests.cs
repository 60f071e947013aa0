using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Fleet;

/// <summary>The fleet section through the real executable: a bad one exits 78 naming the key and the file; none leaves deployments off.</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class FleetConfigTests : IDisposable
{
    private const string Owner = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed";
    private const string DiodeFleet = """ "diode": { "fleet": "0x1dd5c7daf2b0b2e4b2cd6bd0e7d85a9fa8e3c0a7" }, """;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(DiodeFleet + """ "fleet": { "owners": ["0x12"] } """, "fleet.owners[0]: \"0x12\" is not an address (0x and 40 hex digits)")]
    [InlineData(DiodeFleet + """ "fleet": { "owners": ["0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED"] } """, "fleet.owners[1]: 0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED is listed twice: each owner counts once towards fleet.threshold")]
    [InlineData(DiodeFleet + """ "fleet": { "owners": ["0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"], "threshold": 2 } """, "fleet.threshold: 2 is out of range (1 to the 1 owners listed)")]
    [InlineData(DiodeFleet + """ "fleet": { "owners": ["0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"], "threshold": 0 } """, "fleet.threshold: 0 is out of range (1 to the 1 owners listed)")]
    [InlineData(DiodeFleet + """ "fleet": { "owners": ["0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"], "sources": ["ftp://pi-2.lan/d.json"] } """, "fleet.sources[0]: \"ftp://pi-2.lan/d.json\" is not an http or https URL (e.g. http://pi-2.lan:8080/deployments/latest)")]
    [InlineData(DiodeFleet + """ "fleet": { "owners": ["0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"], "pullInterval": "500ms" } """, "fleet.pullInterval: 500ms is out of range (1s to 1d)")]
    [InlineData(DiodeFleet + """ "fleet": { "owners": ["0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"], "mqttTopic": "fleet/+/deployment" } """, "fleet.mqttTopic: \"fleet/+/deployment\" is not a topic to subscribe to: a topic name without wildcards (+, #), at most 1024 bytes")]
    [InlineData(""" "fleet": { "owners": ["0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"] } """, "fleet.owners: deployments name the fleet contract they are for: set diode.fleet to your fleet contract's address")]
    public async Task A_bad_fleet_section_exits_78_naming_the_key_and_the_file(string sections, string expected)
    {
        _dir.File("config.json", $$"""{ {{sections}}, "sensors": [] }""");

        var (code, _, stderr) = await AgentProcess.RunAsync(_dir.Path, null, "config", "check", "--config", "config.json");

        Assert.Equal(78, code);
        Assert.Contains("error: config.json: " + expected, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fleet_of_owners_with_tags_is_valid_and_shown_as_it_is_taken()
    {
        _dir.File("config.json", $$"""{ {{DiodeFleet}} "fleet": { "owners": ["{{Owner}}"], "tags": { "site": "greenhouse" } }, "sensors": [] }""");

        var (code, stdout, stderr) = await AgentProcess.RunAsync(_dir.Path, null, "config", "check", "--config", "config.json");

        Assert.True(code == 0, stderr);
        Assert.Contains($"\"fleet\": {{\n    \"owners\": [\n      \"{Owner}\"\n    ],\n    \"threshold\": 1,\n    \"tags\": {{\n      \"site\": \"greenhouse\"\n    }},\n    \"sources\": [],\n    \"pullInterval\": \"5m\"\n  }}", stdout, StringComparison.Ordinal);
    }
}
