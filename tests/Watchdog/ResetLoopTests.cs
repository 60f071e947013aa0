using Diode.Edge.Tests.Support;
using Diode.Edge.Watchdog;
using Microsoft.Extensions.Logging.Abstractions;

namespace Diode.Edge.Tests.Watchdog;

/// <summary>
/// The reset-loop guard on the pet loop and the simulated watchdog, with a boot history planted on disk: a
/// check that reset the board on each of the last boots stops closing the gate; the agent's own liveness never does.
/// </summary>
[Collection(TimingSensitive.Name)]
[Trait("Tier", Tiers.Unit)]
public sealed class ResetLoopTests : IDisposable
{
    private const string CurrentBoot = "this-boot";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string HistoryPath => Path.Combine(_dir.Path, "boot-history.json");

    [Fact]
    public async Task Three_watchdog_resets_by_the_same_failing_critical_sensor_suspend_it_and_the_board_stays_up()
    {
        PlantResets(3, "sensor:env");
        var (service, device, gate, _) = Create(lastRebootByWatchdog: true);
        using var host = Beating(gate.Register("host", TimeSpan.FromSeconds(2)));
        gate.Register("sensor:env", TimeSpan.FromMilliseconds(300), agentLiveness: false).Beat(); // it read once, then died

        await service.StartAsync(CancellationToken.None);
        // Grace (0.5 s) plus two timeouts (1 s): a board without the guard would have reset by now.
        await Task.Delay(2500);

        var status = service.Status;
        Assert.False(device().Expired, "the board was reset although the sensor's reset loop is suspended");
        Assert.False(status.StoppedForGood);
        Assert.Null(status.FailingCheck);
        Assert.Equal("suspended (sensor:env failed on the last 3 boots)", status.ResetLoop?.Summary);
        Assert.EndsWith(", resetLoop: suspended (sensor:env failed on the last 3 boots)", status.Summary, StringComparison.Ordinal);
        int pets = device().Pets.Count;
        await Task.Delay(500);
        Assert.True(device().Pets.Count > pets, "petting stopped");
        Assert.Equal("sensor:env", gate.Suspended);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Two_watchdog_resets_are_no_loop_yet_and_the_failing_sensor_resets_the_board_as_before()
    {
        PlantResets(2, "sensor:env");
        var (service, device, gate, _) = Create(lastRebootByWatchdog: true);
        using var host = Beating(gate.Register("host", TimeSpan.FromSeconds(2)));
        gate.Register("sensor:env", TimeSpan.FromMilliseconds(300), agentLiveness: false).Beat();

        await service.StartAsync(CancellationToken.None);
        await WaitForExpiryAsync(device);

        Assert.Null(service.Status.ResetLoop);
        Assert.True(service.Status.StoppedForGood);
        // This boot's record blames the sensor, so the next boot counts three.
        var records = new BootHistoryFile(HistoryPath).Load(out _);
        Assert.Equal(new BootRecord(CurrentBoot, records[^1].StartedAt, true, "sensor:env", false), records[^1]);
        Assert.Equal(3, records.Count);
        Assert.Equal("suspended (sensor:env failed on the last 3 boots)", ResetLoopGuard.FindLoop([.. records, new BootRecord("next", DateTimeOffset.UtcNow, true, null, false)], "next", new ResetLoopOptions())?.Summary);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_stale_host_heartbeat_still_stops_the_petting_while_a_sensor_is_suspended()
    {
        PlantResets(3, "sensor:env");
        var (service, device, gate, _) = Create(lastRebootByWatchdog: true);
        var host = gate.Register("host", TimeSpan.FromMilliseconds(300));
        host.Beat(); // the thread pool that beats it is stuck from now on
        gate.Register("sensor:env", TimeSpan.FromMilliseconds(300), agentLiveness: false).Beat();

        await service.StartAsync(CancellationToken.None);
        await WaitForExpiryAsync(device);

        var status = service.Status;
        Assert.True(status.StoppedForGood);
        Assert.StartsWith("host: no heartbeat", status.FailingCheck, StringComparison.Ordinal);
        Assert.Equal("sensor:env", status.ResetLoop?.Check);
        // The hang is what this boot's record blames: it never counts towards a loop.
        var current = new BootHistoryFile(HistoryPath).Load(out _)[^1];
        Assert.Equal(("host", true), (current.GateClosedBy, current.GateClosedByAgentLiveness));
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_suspension_ends_and_the_history_is_cleared_when_the_check_passes_again_for_a_grace_and_a_timeout()
    {
        PlantResets(3, "sensor:env");
        var (service, device, gate, _) = Create(lastRebootByWatchdog: true);
        using var host = Beating(gate.Register("host", TimeSpan.FromSeconds(2)));
        var sensor = gate.Register("sensor:env", TimeSpan.FromMilliseconds(300), agentLiveness: false);
        sensor.Beat();
        await service.StartAsync(CancellationToken.None);
        await Task.Delay(800);
        Assert.NotNull(service.Status.ResetLoop);

        using var repaired = Beating(sensor);
        var passing = System.Diagnostics.Stopwatch.StartNew();
        await WaitUntilAsync(() => service.Status.ResetLoop is null, "the suspension did not end after the sensor read again");
        Assert.True(passing.Elapsed >= TimeSpan.FromSeconds(1.4), $"ended {passing.Elapsed.TotalMilliseconds:F0} ms after the sensor read again, before grace (0.5 s) and timeout (1 s) had passed");

        Assert.Null(gate.Suspended);
        var records = new BootHistoryFile(HistoryPath).Load(out string? problem);
        Assert.Null(problem);
        Assert.Equal([CurrentBoot], records.Select(r => r.BootId));
        Assert.Null(records[0].GateClosedBy);
        Assert.False(device().Expired);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_history_cleared_by_hand_ends_the_suspension_and_the_sensor_closes_the_gate_again()
    {
        PlantResets(3, "sensor:env");
        var (service, device, gate, _) = Create(lastRebootByWatchdog: true);
        using var host = Beating(gate.Register("host", TimeSpan.FromSeconds(2)));
        gate.Register("sensor:env", TimeSpan.FromMilliseconds(300), agentLiveness: false).Beat();
        await service.StartAsync(CancellationToken.None);
        await Task.Delay(800);
        Assert.NotNull(service.Status.ResetLoop);

        // What `diode-edge watchdog reset-loop clear` does, from its own guard (another process, the same boot).
        new ResetLoopGuard(new BootHistoryFile(HistoryPath), new ResetLoopOptions(), TimeProvider.System, CurrentBoot).Clear();
        await WaitForExpiryAsync(device);

        Assert.Null(service.Status.ResetLoop);
        Assert.StartsWith("sensor:env: no heartbeat", service.Status.FailingCheck, StringComparison.Ordinal);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_check_that_closes_the_gate_is_on_disk_before_the_grace_runs_out()
    {
        var (service, _, gate, _) = Create(lastRebootByWatchdog: false, grace: 30);
        using var host = Beating(gate.Register("host", TimeSpan.FromSeconds(2)));
        gate.Register("sensor:env", TimeSpan.FromMilliseconds(200), agentLiveness: false).Beat();

        await service.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => service.Status.FailingCheck is not null, "the gate did not close");
        await WaitUntilAsync(() => new BootHistoryFile(HistoryPath).Load(out _) is [{ GateClosedBy: "sensor:env" }], "the closing check was not written", seconds: 2);

        Assert.False(service.Status.StoppedForGood);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void A_loop_needs_the_same_watched_check_on_each_boot_each_followed_by_a_watchdog_reset_within_the_window()
    {
        var now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var options = new ResetLoopOptions { Boots = 3, Window = TimeSpan.FromHours(1) };
        BootRecord Boot(int minutesAgo, bool reset, string? check, bool liveness = false) => new($"b{minutesAgo}", now.AddMinutes(-minutesAgo), reset, check, liveness);
        var current = new BootRecord("now", now, true, null, false);

        Assert.Equal(new ResetLoopSuspension("temperature", 3), ResetLoopGuard.FindLoop([Boot(9, false, "temperature"), Boot(6, true, "temperature"), Boot(3, true, "temperature"), current], "now", options));
        Assert.Equal(new ResetLoopSuspension("temperature", 4), ResetLoopGuard.FindLoop([Boot(12, true, "temperature"), Boot(9, true, "temperature"), Boot(6, true, "temperature"), Boot(3, true, "temperature"), current], "now", options));
        // Another check in between, a hang, an orderly reboot (no watchdog reset after it), a boot outside the window, the guard off.
        Assert.Null(ResetLoopGuard.FindLoop([Boot(9, false, "temperature"), Boot(6, true, "load"), Boot(3, true, "temperature"), current], "now", options));
        Assert.Null(ResetLoopGuard.FindLoop([Boot(9, false, "host", liveness: true), Boot(6, true, "host", liveness: true), Boot(3, true, "host", liveness: true), current], "now", options));
        Assert.Null(ResetLoopGuard.FindLoop([Boot(9, false, "sensor:env"), Boot(6, false, "sensor:env"), Boot(3, true, "sensor:env"), current], "now", options));
        Assert.Null(ResetLoopGuard.FindLoop([Boot(9, false, "sensor:env"), Boot(6, true, "sensor:env"), Boot(3, true, "sensor:env"), current with { ResetByWatchdog = false }], "now", options));
        Assert.Null(ResetLoopGuard.FindLoop([Boot(70, false, "sensor:env"), Boot(6, true, "sensor:env"), Boot(3, true, "sensor:env"), current], "now", options));
        Assert.Null(ResetLoopGuard.FindLoop([Boot(9, false, "sensor:env"), Boot(6, true, "sensor:env"), Boot(3, true, "sensor:env"), current], "now", new ResetLoopOptions { Boots = 0 }));
    }

    [Fact]
    public void A_suspended_check_no_longer_closes_the_gate_but_other_checks_and_the_agents_liveness_do()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var gate = new HealthGate(time) { FirstBeatAllowance = TimeSpan.FromSeconds(1), Suspended = "temperature" };
        gate.ReportSystemChecks([new GateFailure("temperature", "temperature: 91.0 Cel above watchdog.checks.maxTemperature (85.0 Cel)", false)], TimeSpan.FromSeconds(10));
        Assert.Null(gate.FirstFailingCheck());
        Assert.False(gate.Passes("temperature"));

        gate.ReportSystemChecks([new GateFailure("temperature", "temperature: 91.0 Cel", false), new GateFailure("memory", "memory: 10 MB available", false)], TimeSpan.FromSeconds(10));
        Assert.Equal("memory", gate.FirstFailingCheck()?.Check);

        gate.ReportSystemChecks([], TimeSpan.FromSeconds(10));
        Assert.True(gate.Passes("temperature"));
        time.Advance(TimeSpan.FromSeconds(11)); // the thread pool that runs the checks is stuck: liveness, never suspended
        Assert.Equal(new GateFailure(HealthGate.SystemChecksRunning, "system checks: not run for 11 s (the thread pool may be stuck)", true), gate.FirstFailingCheck());

        var hostGate = new HealthGate(time) { Suspended = "host" };
        hostGate.Register("host", TimeSpan.FromSeconds(1)).Beat();
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("host", hostGate.FirstFailingCheck()?.Check);
    }

    [Fact]
    public void The_agents_liveness_is_named_before_a_watched_check_that_fails_at_the_same_time()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var gate = new HealthGate(time);
        gate.Register("sensor:env", TimeSpan.FromSeconds(1), agentLiveness: false).Beat();
        gate.Register("host", TimeSpan.FromSeconds(1)).Beat();
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(("host", true), (gate.FirstFailingCheck()!.Check, gate.FirstFailingCheck()!.AgentLiveness));
    }

    private void PlantResets(int boots, string check)
    {
        var now = DateTimeOffset.UtcNow;
        new BootHistoryFile(HistoryPath).Save([.. Enumerable.Range(0, boots).Select(i => new BootRecord($"earlier-{i}", now.AddMinutes(-3 * (boots - i)), i > 0, check, false))]);
    }

    private (WatchdogService Service, Func<SimulatedWatchdogDevice> Device, HealthGate Gate, ResetLoopGuard Guard) Create(bool lastRebootByWatchdog, double grace = 0.5)
    {
        string name = "loop-" + Guid.NewGuid();
        SimulatedWatchdogDevice? device = null;
        var gate = new HealthGate(TimeProvider.System) { FirstBeatAllowance = TimeSpan.FromMilliseconds(300) };
        var options = new WatchdogOptions { Enabled = true, Device = "simulated", Timeout = TimeSpan.FromSeconds(1), PetInterval = TimeSpan.FromSeconds(0.1), Grace = TimeSpan.FromSeconds(grace) };
        var guard = new ResetLoopGuard(new BootHistoryFile(HistoryPath), options.ResetLoop, TimeProvider.System, CurrentBoot);
        var service = new WatchdogService(options, gate, TimeProvider.System, NullLogger<WatchdogService>.Instance,
            open: _ => device = SimulatedWatchdogDevice.Open(TimeProvider.System, name, maxTimeout: TimeSpan.FromSeconds(60), lastRebootByWatchdog: lastRebootByWatchdog),
            resetLoop: guard);
        return (service, () => device!, gate, guard);
    }

    /// <summary>
    /// Beats the host heartbeat every 50 ms from a thread of its own, with a 2 s limit: these tests are about a sensor's
    /// reset loop, and CI's full run starved thread-pool timers past the 0.5 s limit they had (the gate then rightly
    /// named the host). The stuck-pool case has its own test above.
    /// </summary>
    private static HostBeater Beating(Heartbeat heartbeat) => new(heartbeat);

    private sealed class HostBeater : IDisposable
    {
        private readonly ManualResetEventSlim _stop = new();
        private readonly Thread _thread;

        public HostBeater(Heartbeat heartbeat)
        {
            heartbeat.Beat();
            _thread = new Thread(() =>
            {
                while (!_stop.Wait(50))
                {
                    heartbeat.Beat();
                }
            }) { IsBackground = true, Name = "test host heartbeat" };
            _thread.Start();
        }

        public void Dispose()
        {
            _stop.Set();
            _thread.Join();
            _stop.Dispose();
        }
    }

    private static Task WaitForExpiryAsync(Func<SimulatedWatchdogDevice> device) => WaitUntilAsync(() => device().Expired, "the watchdog should have expired", seconds: 10);

    private static async Task WaitUntilAsync(Func<bool> condition, string message, double seconds = 5)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, message);
            await Task.Delay(20);
        }
    }
}
