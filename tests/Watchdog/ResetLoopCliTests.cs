using System.Diagnostics;
using Diode.Edge.Tests.Support;
using Diode.Edge.Watchdog;
using Xunit.Abstractions;

namespace Diode.Edge.Tests.Watchdog;

/// <summary>The real executable: <c>watchdog status</c> prints the boot history, <c>watchdog reset-loop clear</c> forgets it, and SIGKILL mid-write never leaves half a history.</summary>
public sealed class ResetLoopCliTests(ITestOutputHelper output) : IDisposable
{
    private const string Config = """{ "identity": { "keyPath": "device.key" }, "watchdog": { "resetLoop": { "boots": 3, "window": "1h" } } }""";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string HistoryPath => Path.Combine(_dir.Path, "boot-history.json");

    [Fact]
    public async Task Watchdog_status_prints_the_boot_history_and_the_suspended_loop_and_reset_loop_clear_ends_it()
    {
        _dir.File("config.json", Config);
        string bootId = ResetLoopGuard.CurrentBootId() ?? "unknown";
        var start = new DateTimeOffset(DateTime.UtcNow.Year, DateTime.UtcNow.Month, DateTime.UtcNow.Day, DateTime.UtcNow.Hour, DateTime.UtcNow.Minute, 0, TimeSpan.Zero);
        new BootHistoryFile(HistoryPath).Save([
            new BootRecord("earlier-0", start.AddMinutes(-9), false, "sensor:env", false),
            new BootRecord("earlier-1", start.AddMinutes(-6), true, "sensor:env", false),
            new BootRecord("earlier-2", start.AddMinutes(-3), true, "sensor:env", false),
            new BootRecord(bootId, start, true, null, false)]);
        string sysfs = Directory.CreateDirectory(Path.Combine(_dir.Path, "sysfs")).FullName;

        var (code, stdout, stderr) = await AgentProcess.RunAsync(_dir.Path, null, "watchdog", "status", "--config", "config.json", "--sysfs", sysfs);

        Assert.True(code == 69, stderr); // no watchdog device on this machine: as before
        string At(int minutesAgo) => start.AddMinutes(-minutesAgo).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + "Z";
        Assert.Contains($"boot history ({HistoryPath}):\n" +
            $"  {At(9)}  after a normal boot, gate closed by sensor:env\n" +
            $"  {At(6)}  after a watchdog reset, gate closed by sensor:env\n" +
            $"  {At(3)}  after a watchdog reset, gate closed by sensor:env\n" +
            $"  {At(0)}  after a watchdog reset, gate not closed  (this boot)\n" +
            "resetLoop: suspended (sensor:env failed on the last 3 boots); clear it with: sudo diode-edge watchdog reset-loop clear\n", stdout, StringComparison.Ordinal);

        (code, stdout, stderr) = await AgentProcess.RunAsync(_dir.Path, null, "watchdog", "reset-loop", "clear", "--config", "config.json");

        Assert.True(code == 0, stderr);
        Assert.Equal($"boot history cleared ({HistoryPath}); sensor:env closes the health gate again (a running agent ends the suspension within a second)", stdout.Trim());
        Assert.Equal([new BootRecord(bootId, start, true, null, false)], new BootHistoryFile(HistoryPath).Load(out _));

        (_, stdout, _) = await AgentProcess.RunAsync(_dir.Path, null, "watchdog", "status", "--config", "config.json", "--sysfs", sysfs);
        Assert.Contains("resetLoop: no loop (3 watchdog resets by the same check within 1h make one)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_reset_loop_value_exits_78_naming_the_key_and_the_file()
    {
        _dir.File("config.json", """{ "watchdog": { "resetLoop": { "window": "5s" } } }""");

        var (code, _, stderr) = await AgentProcess.RunAsync(_dir.Path, null, "watchdog", "reset-loop", "clear", "--config", "config.json");

        Assert.Equal(78, code);
        Assert.Equal("error: config.json: watchdog.resetLoop.window: 5s is out of range (1m to 7d)", stderr.Trim());
    }

    [Fact]
    public async Task The_boot_history_survives_sigkill_mid_write_every_time()
    {
        _dir.File("config.json", Config);
        var random = new Random(20261207);
        var stopwatch = Stopwatch.StartNew();
        var seen = new HashSet<int>();
        for (int kill = 0; kill < 20; kill++)
        {
            using var process = Process.Start(AgentProcess.StartInfo(_dir.Path, null, "watchdog", "reset-loop", "rewrite-forever", "--config", "config.json"))!;
            try
            {
                _ = process.StandardError.ReadToEndAsync();
                string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
                Assert.StartsWith("rewriting ", line, StringComparison.Ordinal);
                await Task.Delay(random.Next(5, 150));
            }
            finally
            {
                process.Kill(entireProcessTree: true); // SIGKILL
                await process.WaitForExitAsync();
            }

            var records = new BootHistoryFile(HistoryPath).Load(out string? problem);
            Assert.True(problem is null, $"kill {kill}: {problem}");
            Assert.InRange(records.Count, 1, BootHistoryFile.Capacity);
            // Whole rounds only: every record of the file comes from the same write.
            string round = records[0].BootId.Split("-boot-")[0];
            Assert.All(records, r => Assert.StartsWith(round + "-boot-", r.BootId, StringComparison.Ordinal));
            Assert.Equal(Enumerable.Range(0, records.Count).Select(i => $"{round}-boot-{i}"), records.Select(r => r.BootId));
            seen.Add(records.Count);
        }

        output.WriteLine($"20 kills in {stopwatch.Elapsed.TotalSeconds:F1} s; histories of {string.Join(", ", seen.Order())} boots found, each whole");
        Assert.True(seen.Count > 1, "the kills always found the same history: the writer was not writing");
    }
}
