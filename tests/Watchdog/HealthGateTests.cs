using Diode.Edge.Tests.Support;
using Diode.Edge.Watchdog;
using Microsoft.Extensions.Time.Testing;

namespace Diode.Edge.Tests.Watchdog;

[Trait("Tier", Tiers.Unit)]
public sealed class HealthGateTests
{
    [Fact]
    public void A_loop_gets_the_startup_allowance_for_its_first_beat_then_its_own_limit()
    {
        var time = new FakeTimeProvider();
        var gate = new HealthGate(time) { FirstBeatAllowance = TimeSpan.FromSeconds(60) };
        var sensor = gate.Register("sensor:env", TimeSpan.FromSeconds(5));

        // A slow cold start (JIT on a Pi Zero, a board under emulation): no reading yet, but within the allowance.
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Null(gate.FirstFailure());

        sensor.Beat();
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(gate.FirstFailure());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("sensor:env: no heartbeat for 6 s (limit 5 s)", gate.FirstFailure());
    }

    [Fact]
    public void A_loop_that_never_reports_closes_the_gate_when_the_allowance_runs_out()
    {
        var time = new FakeTimeProvider();
        var gate = new HealthGate(time) { FirstBeatAllowance = TimeSpan.FromSeconds(60) };
        gate.Register("sensor:env", TimeSpan.FromSeconds(5));

        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Null(gate.FirstFailure());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("sensor:env: no first heartbeat 61 s after start (limit 60 s, watchdog.startupGrace)", gate.FirstFailure());
    }

    [Fact]
    public void The_allowance_is_never_shorter_than_the_loops_own_limit()
    {
        var time = new FakeTimeProvider();
        var gate = new HealthGate(time) { FirstBeatAllowance = TimeSpan.Zero };
        var heartbeat = gate.Register("host", TimeSpan.FromSeconds(5));

        Assert.Equal(TimeSpan.FromSeconds(5), heartbeat.FirstBeatWithin);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(gate.FirstFailure());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(gate.FirstFailure());
    }
}
