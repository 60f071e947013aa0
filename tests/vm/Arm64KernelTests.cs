using System.Diagnostics;
using System.Text.RegularExpressions;
using Diode.Edge.Tests.Support;
using Xunit.Abstractions;

namespace Diode.Edge.Tests.Vm;

/// <summary>
/// The linux-arm64 package (the one that ships to Pis) on Debian's arm64 kernel, on QEMU's "virt" board emulating a
/// Cortex-A72 (TCG), with the kernel's softdog as the watchdog: the binary runs, pets while healthy, and a frozen agent
/// gets the board rebooted.
/// </summary>
[Collection(VmCollection.Name)]
[Trait("Tier", Tiers.System)]
public sealed partial class Arm64KernelTests(VmImages images, ITestOutputHelper output)
{
    private const int WatchdogTimeout = VmAgent.WatchdogTimeout;

    [Fact]
    public async Task The_pi_build_pets_softdog_while_healthy_and_a_frozen_agent_gets_the_board_rebooted()
    {
        var image = await images.GetAsync("arm64");
        var (vm, boot) = await VmAgent.BootAsync(image, "arm64-healthy-then-hang");
        await using (vm)
        {
            Assert.Contains("aarch64", await vm.MustRunAsync("uname -m"), StringComparison.Ordinal);
            await vm.MustRunAsync("insmod /lib/modules/softdog.ko");
            Assert.Contains("Software_Watchdog", await vm.MustRunAsync("tr ' ' _ < /sys/class/watchdog/watchdog0/identity"), StringComparison.Ordinal);
            await VmAgent.StartAsync(vm, image, Config, watchdog: true);

            await Task.Delay(TimeSpan.FromSeconds(3 * WatchdogTimeout));
            Assert.Empty(vm.Lines(VmAgent.BootedLine(), boot.Index + 1));
            Assert.Empty(vm.Lines(SoftdogRebootLine()));
            await VmAgent.HealthAsync(vm, (code, _) => code == 200, TimeSpan.FromSeconds(30));

            await vm.MustRunAsync("kill -STOP $agent_pid");
            long frozen = Stopwatch.GetTimestamp();
            var (index, at, _) = await vm.WaitForAsync(SoftdogRebootLine(), vm.LineCount, TimeSpan.FromSeconds(3 * WatchdogTimeout), "softdog's reboot");
            double seconds = Stopwatch.GetElapsedTime(frozen, at).TotalSeconds;
            output.WriteLine($"arm64: frozen agent → softdog reboot after {seconds:F1} s (timeout {WatchdogTimeout} s, pets every 2 s)");
            // softdog fires one timeout after the last pet, which came at most one pet interval before the freeze.
            Assert.InRange(seconds, WatchdogTimeout - 2.5, WatchdogTimeout + 5);
            await VmAgent.WaitForBootAsync(vm, image, index);
        }
    }

    private static string Config => VmAgent.Config("""{ "type": "simulated", "name": "env", "interval": "1s", "critical": true }""", "/dev/watchdog0");

    [GeneratedRegex("softdog: Initiating system reboot")]
    private static partial Regex SoftdogRebootLine();
}
