using Diode.Edge.Agent.Configuration;
using Diode.Edge.Sensors.Reporting;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Configuration;

/// <summary>A bad <c>sensors[].report</c> rule through the real executable: exit 78 and one line.</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class ReportConfigExecutableTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_bad_rule_stops_the_real_executable_with_exit_78_and_one_line()
    {
        _dir.File("config.json", """{ "sensors": [ { "type": "simulated", "name": "env", "report": { "deadband": "lots" } } ] }""");

        var (code, _, stderr) = await AgentProcess.RunAsync(_dir.Path, null, "config", "check", "--config", "config.json");

        Assert.Equal(78, code);
        Assert.Equal("error: config.json: sensors[0].report.deadband: \"lots\" is not a deadband (a change in the quantity's unit, e.g. 0.2, or a percentage of the last value, e.g. \"5%\"; not negative)", stderr.Trim());
    }
}
