using System.Text.Json;
using System.Xml.Linq;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Configuration;

/// <summary>The real diode-edge executable: exit codes and the exact lines a user sees.</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class CliConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Version_comes_from_the_build_props()
    {
        string expected = XDocument.Load(Path.Combine(RepoRoot.Path, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;

        var (code, stdout, _) = await AgentProcess.RunAsync(_dir.Path, null, "--version");

        Assert.Equal(0, code);
        Assert.Equal(expected, stdout.Trim());
    }

    [Theory]
    [InlineData("config", "check")]
    [InlineData("run")]
    public async Task A_bad_value_exits_78_with_one_line_naming_file_and_key_and_no_stack_trace(params string[] command)
    {
        string path = _dir.File("config.json", """{ "sensors": [ { "type": "simulated", "name": "a" }, { "type": "simulated", "name": "b", "interval": "5 parsecs" } ] }""");

        var (code, _, stderr) = await AgentProcess.RunAsync(_dir.Path, null, [.. command, "--config", "config.json"]);

        Assert.Equal(78, code);
        Assert.Equal("error: config.json: sensors[1].interval: \"5 parsecs\" is not a duration (write e.g. 250ms, 5s, 1m, 1h, 7d)", stderr.Trim());
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task A_json_syntax_error_exits_78_naming_the_line()
    {
        _dir.File("config.json", "{\n  \"http\": { \"port\": 8080, }\n  \"log\": {}\n}");

        var (code, _, stderr) = await AgentProcess.RunAsync(_dir.Path, null, "config", "check", "--config", "config.json");

        Assert.Equal(78, code);
        Assert.StartsWith("error: config.json:3:", stderr.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_environment_variable_override_is_named_when_it_is_wrong()
    {
        _dir.File("config.json", """{ "sensors": [ { "type": "simulated", "name": "env" } ] }""");

        var (code, _, stderr) = await AgentProcess.RunAsync(
            _dir.Path,
            new Dictionary<string, string> { ["DIODE_EDGE__SENSORS__0__INTERVAL"] = "often" },
            "config", "check", "--config", "config.json");

        Assert.Equal(78, code);
        Assert.Equal("error: environment DIODE_EDGE__SENSORS__0__INTERVAL: sensors[0].interval: \"often\" is not a duration (write e.g. 250ms, 5s, 1m, 1h, 7d)", stderr.Trim());
    }

    [Fact]
    public async Task Config_check_prints_an_effective_config_that_is_itself_a_valid_config()
    {
        _dir.File("config.json", """{ "http": { "port": 8123 }, "sensors": [ { "type": "simulated", "name": "env", "interval": "2s" } ], "typo": 1 }""");

        var (code, stdout, stderr) = await AgentProcess.RunAsync(
            _dir.Path,
            new Dictionary<string, string> { ["DIODE_EDGE__HUB__RINGSIZE"] = "42" },
            "config", "check", "--config", "config.json");

        Assert.Equal(0, code);
        Assert.Contains("warning: config.json: typo: unknown key, ignored", stderr, StringComparison.Ordinal);
        using var effective = JsonDocument.Parse(stdout);
        Assert.Equal(8123, effective.RootElement.GetProperty("http").GetProperty("port").GetInt32());
        Assert.Equal(42, effective.RootElement.GetProperty("hub").GetProperty("ringSize").GetInt32());
        Assert.Equal("2s", effective.RootElement.GetProperty("sensors")[0].GetProperty("interval").GetString());
        Assert.Equal("protected", effective.RootElement.GetProperty("diode").GetProperty("mode").GetString());

        _dir.File("effective.json", stdout);
        var (again, _, againErr) = await AgentProcess.RunAsync(_dir.Path, null, "config", "check", "--config", "effective.json");
        Assert.Equal(0, again);
        Assert.DoesNotContain("warning", againErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_commands_a_Pi_user_needs()
    {
        var (code, stdout, _) = await AgentProcess.RunAsync(_dir.Path, null, "--help");

        Assert.Equal(0, code);
        foreach (string command in new[] { "run", "config", "subscribe", "--config", "--set", "--version" })
        {
            Assert.Contains(command, stdout, StringComparison.Ordinal);
        }
    }
}
