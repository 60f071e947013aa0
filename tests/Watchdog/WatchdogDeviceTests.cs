using Diode.Edge.Tests.Support;
using Diode.Edge.Watchdog;

namespace Diode.Edge.Tests.Watchdog;

[Trait("Tier", Tiers.Unit)]
public sealed class WatchdogDeviceTests
{
    [Fact]
    public void The_simulated_device_behaves_like_the_kernel_busy_nowayout_and_timeout()
    {
        string name = "kernel-" + Guid.NewGuid();
        using (var device = SimulatedWatchdogDevice.Open(TimeProvider.System, name, nowayout: true))
        {
            var busy = Assert.Throws<WatchdogException>(() => SimulatedWatchdogDevice.Open(TimeProvider.System, name));
            Assert.Equal(WatchdogException.EBUSY, busy.Errno);
            Assert.Equal(TimeSpan.FromSeconds(2), device.SetTimeout(TimeSpan.FromMilliseconds(1500)));
            Assert.Throws<WatchdogException>(() => device.SetTimeout(TimeSpan.Zero));
            device.MagicClose();
        }

        using var again = SimulatedWatchdogDevice.Open(TimeProvider.System, name);
        Assert.Equal("simulated watchdog", again.Info.Identity);
    }

    [Fact]
    public void Nowayout_keeps_the_timer_running_even_after_a_magic_close()
    {
        var device = SimulatedWatchdogDevice.Open(TimeProvider.System, "nowayout-" + Guid.NewGuid(), nowayout: true);
        device.MagicClose();
        device.Dispose();

        Assert.True(device.MagicCloseWritten);
        Assert.False(device.Disarmed);
    }

    [Fact]
    public void The_real_device_class_reports_errno_for_a_missing_device_and_for_a_file_that_is_not_a_watchdog()
    {
        var missing = Assert.Throws<WatchdogException>(() => LinuxWatchdogDevice.Open("/dev/watchdog-not-here"));
        var notWatchdog = Assert.Throws<WatchdogException>(() => LinuxWatchdogDevice.Open("/dev/null"));

        Assert.Equal(WatchdogException.ENOENT, missing.Errno);
        Assert.Equal(WatchdogException.ENOTTY, notWatchdog.Errno);
        Assert.Contains("not a watchdog device (WDIOC_GETSUPPORT", notWatchdog.Message, StringComparison.Ordinal);
    }
}
