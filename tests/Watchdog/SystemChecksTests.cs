using Diode.Edge.Agent.Processes;
using Diode.Edge.Tests.Support;
using Diode.Edge.Watchdog;

namespace Diode.Edge.Tests.Watchdog;

[Trait("Tier", Tiers.Unit)]
public sealed class SystemChecksTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Each_check_fails_with_its_reason_and_holds_when_within_its_limit()
    {
        _dir.File("meminfo", "MemTotal:        3884000 kB\nMemFree:          100000 kB\nMemAvailable:     20480 kB\n");
        _dir.File("loadavg", "5.50 3.20 1.10 2/345 6789\n");
        string temperature = _dir.File("temp", "86500\n");

        Assert.Equal("memory: 20 MB available, below watchdog.checks.minFreeMemory (32 MB)", await RunAsync(new WatchdogChecksOptions { MinFreeMemory = 32L << 20 }));
        Assert.Null(await RunAsync(new WatchdogChecksOptions { MinFreeMemory = 16L << 20 }));
        Assert.Equal("load: 5.50 above watchdog.checks.maxLoad1 (4.00)", await RunAsync(new WatchdogChecksOptions { MaxLoad1 = 4 }));
        Assert.Equal("load: 1.10 above watchdog.checks.maxLoad15 (1.00)", await RunAsync(new WatchdogChecksOptions { MaxLoad15 = 1 }));
        Assert.Equal("temperature: 86.5 Cel above watchdog.checks.maxTemperature (85.0 Cel)", await RunAsync(new WatchdogChecksOptions { MaxTemperature = 85, TemperatureDevice = temperature }));
        Assert.Null(await RunAsync(new WatchdogChecksOptions { MaxTemperature = 90, TemperatureDevice = temperature }));
    }

    [Fact]
    public async Task The_test_command_is_split_into_program_and_arguments_and_each_outcome_is_worded()
    {
        var options = new WatchdogChecksOptions { TestCommand = "/usr/local/bin/probe  --quick 3", TestTimeout = TimeSpan.FromSeconds(7) };
        var calls = new List<string>();
        TestCommandRunner Answering(Func<int?> outcome) => (program, args, timeout, _) =>
        {
            calls.Add($"{program} [{string.Join("|", args)}] {timeout.TotalSeconds} s");
            return Task.FromResult(outcome());
        };

        Assert.Null(await CheckAsync(options, Answering(() => 0)));
        Assert.Equal("/usr/local/bin/probe [--quick|3] 7 s", Assert.Single(calls));
        Assert.Equal("test command: /usr/local/bin/probe  --quick 3 exited with 3", await CheckAsync(options, Answering(() => 3)));
        Assert.Equal("test command: /usr/local/bin/probe  --quick 3 did not finish within watchdog.checks.testTimeout (7 s)", await CheckAsync(options, Answering(() => null)));
        Assert.Equal("test command: cannot start it", await CheckAsync(options, Answering(() => throw new System.ComponentModel.Win32Exception(2, "cannot start it"))));
    }

    private static Task<string?> CheckAsync(WatchdogChecksOptions options, TestCommandRunner runner) =>
        new SystemChecks(options, new HealthGate(TimeProvider.System), TimeProvider.System, runner).RunOnceAsync(CancellationToken.None);

    [Fact]
    public void System_checks_that_stop_reporting_close_the_gate()
    {
        var time = new ManualTime();
        var gate = new HealthGate(time);
        gate.ReportSystemChecks([], TimeSpan.FromSeconds(10));
        Assert.Null(gate.FirstFailure());

        time.Advance(TimeSpan.FromSeconds(11));

        Assert.StartsWith("system checks: not run for 11 s", gate.FirstFailure(), StringComparison.Ordinal);
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
