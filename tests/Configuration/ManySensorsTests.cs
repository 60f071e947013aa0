using System.Diagnostics;
using System.Text.Json;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Configuration;

/// <summary>A config with thousands of sensors is checked in time linear in its size (it was quadratic: 2,000 sensors took 7.8 s).</summary>
[Collection(TimingSensitive.Name)]
public sealed class ManySensorsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Twenty_times_the_sensors_cost_far_less_than_twenty_times_the_time()
    {
        var small = await CheckAsync(200);
        var large = await CheckAsync(4000);

        // The same executable in the same run: its start-up is in both; a quadratic walk would make the ratio about 400.
        Assert.True(large < small * 5, $"config check: 200 sensors {small.TotalMilliseconds:F0} ms, 4000 sensors {large.TotalMilliseconds:F0} ms");
    }

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
