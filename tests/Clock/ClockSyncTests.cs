using System.Diagnostics;
using System.Text.Json;
using Diode.Edge.Agent.Clock;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Clock;

/// <summary>
/// Honest time: each payload says whether the system clock was synchronised when it was signed. The real adjtimex call
/// and the decision; a clock that syncs while the agent runs, checked by ethers, is <see cref="ClockSyncEthersTests"/>.
/// </summary>
[Trait("Tier", Tiers.Unit)]
public sealed class ClockSyncTests
{
    [Fact]
    public void The_real_adjtimex_call_returns_a_sane_kernel_state_on_this_machine()
    {
        var clock = new AdjtimexClockSource().Read();

        // TIME_OK … TIME_ERROR; a failed call would be -1. The maximum error is the kernel's, in microseconds, capped
        // at 16 s (NTP_PHASE_LIMIT << 5); the decision is timedatectl's: synchronised below that cap.
        Assert.InRange(clock.KernelState, 0, 5);
        Assert.InRange(clock.MaxErrorMicroseconds, 0, ClockSync.MaxErrorLimitMicroseconds);
        Assert.Equal(clock.MaxErrorMicroseconds < ClockSync.MaxErrorLimitMicroseconds, clock.Synchronized);
        Assert.Equal(0, clock.Status & ~0xFFFF);
        Assert.NotEqual("adjtimex failed", clock.KernelStateName);
    }

    [Theory]
    [InlineData(0, 0x2001, 12_500, true)]
    [InlineData(5, 0x0040, 16_000_000, false)]
    [InlineData(0, 0x0040, 8_000, true)] // STA_UNSYNC left set (to keep the kernel off the RTC) with a small error: synced, as timedatectl says
    [InlineData(5, 0x0041, 20_000_000, false)]
    [InlineData(-1, 0, 0, false)]
    public void Synchronised_is_decided_as_timedatectl_decides(int state, int status, long maxError, bool synced)
    {
        Assert.Equal(synced, ClockSync.FromKernel(state, status, maxError).Synchronized);
    }
}
