using Diode.Edge.Tests.Support;
using Xunit.Abstractions;

namespace Diode.Edge.Tests.Packaging;

/// <summary>The shipped Native AOT agent hands back the pages of its binary that only its start-up used (agent/Hosting/StartupPagesRelease).</summary>
/// <remarks>
/// Alone, not beside other tests: the kernel pages out only pages that no other process maps
/// (<c>MADV_PAGEOUT</c>), and other tests run the same binary; with several agents running at once the binary's pages
/// stayed resident (seen in CI: 23,688 KB before, 23,148 KB after).
/// </remarks>
[Trait("Tier", Tiers.Integration)]
[Collection(TimingSensitive.Name)]
public sealed class StartupPagesTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Once_started_the_native_agent_hands_its_binarys_start_up_pages_back_and_keeps_serving()
    {
        await using var agent = await AgentExecutable.StartAsync("aot", _dir.Path, """
            { "http": { "port": 0 }, "identity": { "keyPath": "device.key" }, "store": { "path": "store.db" },
              "watchdog": { "device": "simulated" }, "log": { "level": "debug" },
              "sensors": [ { "type": "simulated", "name": "env", "interval": "100ms" } ] }
            """);
        await agent.Http.GetStringAsync("/streams/env/history?limit=1");
        long before = BinaryResidentKb(agent.Pid);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!agent.LastLines.Any(l => l.Contains("start-up pages handed back", StringComparison.Ordinal)))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "no line about the start-up pages:\n" + string.Join('\n', agent.LastLines));
            await Task.Delay(100);
        }

        long after = BinaryResidentKb(agent.Pid);
        output.WriteLine($"the binary's resident pages: {before} KB before, {after} KB after");
        Assert.True(after < before * 0.7, $"the binary's resident pages went from {before} KB to {after} KB");

        // What the pages were for still works: they come back on use.
        Assert.Contains("\"sig\"", await agent.Http.GetStringAsync("/streams/env/history?limit=1"), StringComparison.Ordinal);
        Assert.Contains("diode_edge_consumers", await agent.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    /// <summary>Resident KB of the mappings of the agent's own executable (from /proc/PID/smaps).</summary>
    private static long BinaryResidentKb(int pid)
    {
        string executable = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0')[0];
        executable = Path.GetFullPath(executable);
        long kb = 0;
        bool ours = false;
        foreach (string line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0 && fields[0].Contains('-', StringComparison.Ordinal) && !fields[0].EndsWith(':'))
            {
                ours = fields.Length == 6 && fields[5] == executable;
            }
            else if (ours && fields.Length == 3 && fields[0] == "Rss:")
            {
                kb += long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        Assert.True(kb > 0, $"no resident mapping of {executable}");
        return kb;
    }

}
