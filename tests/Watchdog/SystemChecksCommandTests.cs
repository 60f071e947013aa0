using Diode.Edge.Agent.Processes;
using Diode.Edge.Tests.Support;
using Diode.Edge.Watchdog;

namespace Diode.Edge.Tests.Watchdog;

/// <summary>The watchdog's file and test-command checks: the command ones start real programs (false, true, sleep), so they are not unit tests.</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class SystemChecksCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_stale_file_and_a_failing_or_hanging_test_command_fail()
    {
        string file = _dir.File("touched", "x");
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-10));

        Assert.StartsWith($"file: {file} last changed", await RunAsync(new WatchdogChecksOptions { File = file, FileMaxAge = TimeSpan.FromMinutes(5) }), StringComparison.Ordinal);
        Assert.Null(await RunAsync(new WatchdogChecksOptions { File = file, FileMaxAge = TimeSpan.FromMinutes(15) }));
        Assert.Equal("test command: false exited with 1", await RunAsync(new WatchdogChecksOptions { TestCommand = "false" }));
        Assert.Null(await RunAsync(new WatchdogChecksOptions { TestCommand = "true" }));
        Assert.Equal("test command: sleep 10 did not finish within watchdog.checks.testTimeout (0 s)", await RunAsync(new WatchdogChecksOptions { TestCommand = "sleep 10", TestTimeout = TimeSpan.FromMilliseconds(300) }));
    }

    [Fact]
    public async Task A_test_command_that_never_stops_writing_costs_nothing_and_is_killed_at_its_time_limit()
    {
        Assert.Equal("test command: yes diode did not finish within watchdog.checks.testTimeout (1 s)", await RunAsync(new WatchdogChecksOptions { TestCommand = "yes diode", TestTimeout = TimeSpan.FromSeconds(1) }));
    }

    [Fact]
    public async Task A_test_command_that_is_missing_or_not_executable_is_said_in_words()
    {
        string notExecutable = _dir.File("probe.sh", "#!/bin/sh\nexit 0\n");
        Assert.Equal("test command: /nonexistent/probe --quick exited with 127 (/nonexistent/probe not found)", await RunAsync(new WatchdogChecksOptions { TestCommand = "/nonexistent/probe --quick" }));
        Assert.Equal($"test command: {notExecutable} exited with 126 ({notExecutable} is not executable)", await RunAsync(new WatchdogChecksOptions { TestCommand = notExecutable }));
    }

    private Task<string?> RunAsync(WatchdogChecksOptions options) =>
        new SystemChecks(options, new HealthGate(TimeProvider.System), TimeProvider.System, BoundedCommand.ExitCodeAsync) { ProcRoot = _dir.Path }.RunOnceAsync(CancellationToken.None);

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
