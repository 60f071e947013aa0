using System.Diagnostics;
using System.Text.Json;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Configuration;

/// <summary>A config with thousands of sensors is checked in time linear in its size (it was quadratic: 2,000 sensors took 7.8 s).</summary>
[Collection(TimingSensitive.Name)]
[Trait("Tier", Tiers.Integration)]
public sealed class ManySensorsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Twice_the_sensors_cost_about_twice_the_time_not_four_times()
    {
        // Against the Native AOT binary the start-up is a few tens of milliseconds, so the walk's own cost shows: from
        // 2,000 to 4,000 sensors a linear check takes about twice as long, a quadratic one four times. Best of two runs
        // each, the same executable in the same run.
        var medium = Min(await CheckAsync(2000), await CheckAsync(2000));
        var large = Min(await CheckAsync(4000), await CheckAsync(4000));

        Assert.True(large < medium * 3, $"config check: 2000 sensors {medium.TotalMilliseconds:F0} ms, 4000 sensors {large.TotalMilliseconds:F0} ms");
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private async Task<TimeSpan> CheckAsync(int sensors)
    {
        string name = $"many{sensors}.json";
        _dir.File(name, JsonSerializer.Serialize(new { sensors = Enumerable.Range(0, sensors).Select(i => new { type = "simulated", name = $"s{i}", interval = "1s" }) }));
        var watch = Stopwatch.StartNew();
        var (code, _, stderr) = await AgentProcess.RunAsync(_dir.Path, null, "config", "check", "--config", name);
        watch.Stop();
        Assert.True(code == 0, stderr);
        return watch.Elapsed;
    }
}
