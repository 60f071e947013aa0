using Diode.Edge.Watchdog;
using Microsoft.Extensions.Logging.Abstractions;

using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Watchdog;

/// <summary>The pet loop against a device with the kernel's semantics: a healthy agent is never reset, a hung one always is.</summary>
[Collection(TimingSensitive.Name)]
[Trait("Tier", Tiers.Unit)]
public sealed class WatchdogServiceTests
{
    [Fact]
    public async Task A_healthy_agent_pets_at_the_interval_and_the_watchdog_never_expires()
    {
        var (service, device, gate) = Create(timeout: 2, pet: 0.2, grace: 1);
        var heartbeat = gate.Register("host", TimeSpan.FromMilliseconds(500));
        using var beating = new Timer(_ => heartbeat.Beat(), null, 0, 100);

        await service.StartAsync(CancellationToken.None);
        var slept = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(3000);
        var pets = device().Pets;
        var window = slept.Elapsed;
        Assert.False(device().Expired);
        await service.StopAsync(CancellationToken.None);

        var gaps = pets.Zip(pets.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToList();
        // One pet at the start and one per 200 ms of the window this test actually slept (its own wake-up can be late
        // on a loaded runner: seen 3.49 s for a 3 s delay, with every gap 199-202 ms).
        double due = (window.TotalSeconds / 0.2) + 1;
        Assert.True(pets.Count >= due * 0.66 && pets.Count <= due + 1, $"{pets.Count} pets in {window.TotalMilliseconds:0} ms (due {due:0.0}), gaps {string.Join(", ", gaps.Select(g => g.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))} ms");
        // Each pet is due an interval after the previous one was due, and at least half an interval after it was done.
        Assert.All(gaps, g => Assert.InRange(g, 90, 700));
        Assert.InRange(gaps.Average(), 170, 260);
        Assert.Equal(WatchdogMode.Device, service.Status.Mode);
    }

    [Fact]
    public async Task A_stale_critical_heartbeat_stops_petting_after_the_grace_and_the_watchdog_expires()
    {
        var (service, device, gate) = Create(timeout: 1, pet: 0.1, grace: 0.5);
        gate.Register("sensor:vital", TimeSpan.FromMilliseconds(300)).Beat(); // it read once, then stopped

        await service.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!device().Expired)
        {
            Assert.True(DateTime.UtcNow < deadline, "the watchdog should have expired");
            await Task.Delay(50);
        }

        var status = service.Status;
        Assert.True(status.StoppedForGood);
        Assert.StartsWith("sensor:vital: no heartbeat", status.FailingCheck, StringComparison.Ordinal);
        var lastPet = device().Pets[^1];
        Assert.InRange((device().ExpiredAt!.Value - lastPet).TotalMilliseconds, 950, 1100);
        await service.StopAsync(CancellationToken.None);
        Assert.False(device().MagicCloseWritten);
    }

    [Theory]
    [InlineData(2.0, 1.5, 300, 800)] // a stall shorter than both the grace and the timeout
    [InlineData(1.0, 6.0, 200, 2200)] // a stall of two hardware timeouts, well within the grace (a late wake-up of this test under load must not outlast it)
    public async Task A_gate_that_recovers_within_the_grace_keeps_the_board_alive(double timeout, double grace, int staleMs, int stallMs)
    {
        var (service, device, gate) = Create(timeout: timeout, pet: 0.1, grace: grace);
        var heartbeat = gate.Register("host", TimeSpan.FromMilliseconds(staleMs));
        heartbeat.Beat(); // it ran, then stalled
        await service.StartAsync(CancellationToken.None);
        await Task.Delay(stallMs);
        Assert.NotNull(service.Status.FailingCheck);
        Assert.False(device().Expired, "the device expired during the grace: petting must go on until the grace runs out");

        using var beating = new Timer(_ => heartbeat.Beat(), null, 0, 50);
        // The gate opens again within the window: sampled every 20 ms, not only at its end, where one late beat of
        // the test's own timer (a thread-pool hiccup on a loaded runner) would read as a failure of the agent.
        var window = System.Diagnostics.Stopwatch.StartNew();
        string? failing = service.Status.FailingCheck;
        while (failing is not null && window.Elapsed < TimeSpan.FromMilliseconds(1500))
        {
            await Task.Delay(20);
            failing = service.Status.FailingCheck;
        }

        Assert.Null(failing);
        await Task.Delay(TimeSpan.FromMilliseconds(1500) - window.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);

        Assert.False(service.Status.StoppedForGood);
        Assert.False(device().Expired);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task An_orderly_stop_writes_the_magic_close_and_disarms()
    {
        var (service, device, _) = Create(timeout: 1, pet: 0.1, grace: 1);
        await service.StartAsync(CancellationToken.None);
        await Task.Delay(300);

        await service.StopAsync(CancellationToken.None);

        Assert.True(device().MagicCloseWritten);
        Assert.True(device().Disarmed);
        await Task.Delay(1200);
        Assert.False(device().Expired);
    }

    [Fact]
    public async Task A_crash_closes_without_the_magic_character_and_the_timer_runs_on()
    {
        var (service, device, _) = Create(timeout: 1, pet: 0.1, grace: 1);
        await service.StartAsync(CancellationToken.None);
        await Task.Delay(300);

        service.Dispose();
        await Task.Delay(1300);

        Assert.False(device().MagicCloseWritten);
        Assert.False(device().Disarmed);
        Assert.True(device().Expired);
    }

    [Fact]
    public async Task A_busy_device_falls_back_to_systemd_and_a_missing_one_is_off_with_the_reason()
    {
        string name = "busy-" + Guid.NewGuid();
        using var holder = SimulatedWatchdogDevice.Open(TimeProvider.System, name);
        var busy = new WatchdogService(new WatchdogOptions { Enabled = true, Device = "simulated" }, new HealthGate(TimeProvider.System), TimeProvider.System, NullLogger<WatchdogService>.Instance, open: _ => SimulatedWatchdogDevice.Open(TimeProvider.System, name));
        var missing = new WatchdogService(new WatchdogOptions { Enabled = true, Device = "/dev/watchdog-not-here" }, new HealthGate(TimeProvider.System), TimeProvider.System, NullLogger<WatchdogService>.Instance);

        await busy.StartAsync(CancellationToken.None);
        await missing.StartAsync(CancellationToken.None);

        Assert.Equal(WatchdogMode.SystemdOnly, busy.Status.Mode);
        Assert.Equal("watchdog: systemd only", busy.Status.Summary);
        Assert.Equal(WatchdogMode.Off, missing.Status.Mode);
        Assert.Equal("watchdog: off (no /dev/watchdog-not-here)", missing.Status.Summary);
        await busy.StopAsync(CancellationToken.None);
        await missing.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_timeout_longer_than_the_device_allows_is_clamped()
    {
        string name = "clamp-" + Guid.NewGuid();
        var service = new WatchdogService(new WatchdogOptions { Enabled = true, Device = "simulated", Timeout = TimeSpan.FromSeconds(60), PetInterval = TimeSpan.FromSeconds(1) }, new HealthGate(TimeProvider.System), TimeProvider.System, NullLogger<WatchdogService>.Instance, open: _ => SimulatedWatchdogDevice.Open(TimeProvider.System, name, maxTimeout: TimeSpan.FromSeconds(15)));

        await service.StartAsync(CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(15), service.Status.Timeout);
        await service.StopAsync(CancellationToken.None);
    }

    private static (WatchdogService Service, Func<SimulatedWatchdogDevice> Device, HealthGate Gate) Create(double timeout, double pet, double grace)
    {
        string name = "test-" + Guid.NewGuid();
        SimulatedWatchdogDevice? device = null;
        var gate = new HealthGate(TimeProvider.System);
        var options = new WatchdogOptions { Enabled = true, Device = "simulated", Timeout = TimeSpan.FromSeconds(timeout), PetInterval = TimeSpan.FromSeconds(pet), Grace = TimeSpan.FromSeconds(grace) };
        var service = new WatchdogService(options, gate, TimeProvider.System, NullLogger<WatchdogService>.Instance, open: _ => device = SimulatedWatchdogDevice.Open(TimeProvider.System, name, maxTimeout: TimeSpan.FromSeconds(60)));
        return (service, () => device!, gate);
    }
}
