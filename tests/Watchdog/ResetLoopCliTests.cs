using System.Diagnostics;
using Diode.Edge.Tests.Support;
using Diode.Edge.Watchdog;
using Xunit.Abstractions;

namespace Diode.Edge.Tests.Watchdog;

/// <summary>The real executable: <c>watchdog status</c> prints the boot history, <c>watchdog reset-loop clear</c> forgets it, and SIGKILL mid-write never leaves half a history.</summary>
[Trait("Tier", Tiers.Integration)]
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
            string? fault = Torn(records, problem);
            Assert.True(fault is null, $"kill {kill}: {fault}");
            seen.Add(records.Count);
        }

        output.WriteLine($"20 kills in {stopwatch.Elapsed.TotalSeconds:F1} s; histories of {string.Join(", ", seen.Order())} boots found, each whole");
        Assert.True(seen.Count > 1, "the kills always found the same history: the writer was not writing");
    }

    /// <summary>
    /// The negative control of the test above: a writer that overwrites the history in place (truncate, write the first
    /// half, append the second), killed the same way, leaves a torn history that the same checks see.
    /// </summary>
    [Fact]
    public async Task A_writer_that_overwrites_in_place_killed_the_same_way_leaves_torn_histories_that_the_checks_see()
    {
        string whole = """{"version":1,"boots":[{"bootId":"round-7-boot-0","startedAt":"2026-12-07T01:00:00.0000000Z","resetByWatchdog":false},{"bootId":"round-7-boot-1","startedAt":"2026-12-07T01:01:00.0000000Z","resetByWatchdog":true}]}""";
        Assert.Null(Torn(Parse(whole), null)); // the whole document passes
        string first = whole[..(whole.Length / 2)];
        string second = whole[(whole.Length / 2)..];
        string script = $"while :; do printf '%s' '{first}' > '{HistoryPath}'; printf '%s' '{second}' >> '{HistoryPath}'; done";
        var random = new Random(20261207);
        int torn = 0;
        for (int kill = 0; kill < 20; kill++)
        {
            using var process = Process.Start(new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardError = true })!;
            try
            {
                while (!File.Exists(HistoryPath))
                {
                    await Task.Delay(1);
                }

                await Task.Delay(random.Next(5, 150));
            }
            finally
            {
                process.Kill(entireProcessTree: true); // SIGKILL
                await process.WaitForExitAsync();
            }

            var records = new BootHistoryFile(HistoryPath).Load(out string? problem);
            if (Torn(records, problem) is { } fault)
            {
                output.WriteLine($"kill {kill}: {fault}");
                torn++;
            }
        }

        output.WriteLine($"in-place writer: {torn} of 20 kills left a torn history");
        Assert.True(torn > 0, "20 kills of an in-place writer never left a torn history: the checks cannot tell a torn file from a whole one");

        static IReadOnlyList<BootRecord> Parse(string json)
        {
            using var dir = new TempDirectory();
            string path = Path.Combine(dir.Path, "boot-history.json");
            File.WriteAllText(path, json);
            return new BootHistoryFile(path).Load(out _);
        }
    }

    /// <summary>
    /// The one way <see cref="BootHistoryLock"/>'s promise shows from outside: while another process holds the lock on the
    /// history's directory (util-linux <c>flock</c>), <c>reset-loop clear</c> waits, and writes once it is released.
    /// </summary>
    [Fact]
    public async Task Reset_loop_clear_waits_while_another_process_holds_the_boot_history_lock()
    {
        _dir.File("config.json", Config);
        new BootHistoryFile(HistoryPath).Save([new BootRecord("earlier-0", DateTimeOffset.UtcNow.AddMinutes(-3), false, "sensor:env", false)]);
        using var holder = Tool.Start(new ProcessStartInfo("flock", [_dir.Path, "-c", "echo held; read line"]) { RedirectStandardInput = true, RedirectStandardOutput = true });
        try
        {
            Assert.Equal("held", await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
            var clear = AgentProcess.RunAsync(_dir.Path, null, "watchdog", "reset-loop", "clear", "--config", "config.json");

            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.False(clear.IsCompleted, "reset-loop clear wrote while another process held the boot history's lock");
            Assert.Equal("earlier-0", Assert.Single(new BootHistoryFile(HistoryPath).Load(out _)).BootId);

            holder.StandardInput.WriteLine();
            var (code, _, stderr) = await clear.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(code == 0, stderr);
            Assert.DoesNotContain(new BootHistoryFile(HistoryPath).Load(out _), r => r.BootId == "earlier-0");
        }
        finally
        {
            if (!holder.HasExited)
            {
                holder.Kill();
            }
        }
    }

    /// <summary>Why a history read after a kill is not one whole write of the rewriter (null when it is).</summary>
    private static string? Torn(IReadOnlyList<BootRecord> records, string? problem)
    {
        if (problem is not null)
        {
            return problem;
        }

        if (records.Count is < 1 or > BootHistoryFile.Capacity)
        {
            return $"{records.Count} records";
        }

        // Whole rounds only: every record of the file comes from the same write, boots 0 to n-1 in order.
        string round = records[0].BootId.Split("-boot-")[0];
        var expected = Enumerable.Range(0, records.Count).Select(i => $"{round}-boot-{i}");
        return expected.SequenceEqual(records.Select(r => r.BootId)) ? null : "records of different writes: " + string.Join(", ", records.Select(r => r.BootId));
    }
}
