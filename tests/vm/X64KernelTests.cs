using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Diode.Edge.Contract;
using Diode.Edge.Tests.Support;
using Xunit.Abstractions;

namespace Diode.Edge.Tests.Vm;

/// <summary>
/// The linux-x64 package on Debian's amd64 kernel under QEMU (TCG): the agent reads a BME280 planted in the kernel's
/// i2c-stub through a real /dev/i2c-N, and pets QEMU's emulated Intel 6300ESB through the real i6300esb driver, whose
/// expiry really resets the virtual board (-action watchdog=reset).
/// </summary>
[Collection(VmCollection.Name)]
[Trait("Tier", Tiers.System)]
public sealed partial class X64KernelTests(VmImages images, ITestOutputHelper output)
{
    private static readonly string[] Esb = ["-device", "i6300esb", "-action", "watchdog=reset"];
    private const int WatchdogTimeout = VmAgent.WatchdogTimeout;

    [Fact]
    public async Task The_i2c_stub_bme280_is_read_through_the_kernel_and_its_frames_arrive_signed_with_the_datasheet_values()
    {
        var image = await images.GetAsync("amd64");
        var (vm, boot) = await VmAgent.BootAsync(image, "amd64-sensors");
        await using (vm)
        {
            Assert.True(boot.I2cBus is not null, "i2c-stub did not register an adapter:\n" + vm.Transcript());
            await PlantBme280Async(vm, boot.I2cBus.Value);

            // The scan reads chip ids through the same kernel adapter.
            string scan = await vm.MustRunAsync($"diode-edge sensors scan --bus {boot.I2cBus}");
            Assert.Matches(@"0x76\s.*bme280", scan);

            await VmAgent.StartAsync(vm, image, Config(boot.I2cBus.Value, watchdog: null), watchdog: false);
            using var identity = JsonDocument.Parse(await VmAgent.GetStringAsync(vm, "/identity"));
            var verifier = new FrameVerifier(identity.RootElement.GetProperty("address").GetString()!);

            var frames = await FramesAsync(vm, 3);
            var (celsius, humidity, hectopascals) = Bme280OnI2cStub.Expected();
            foreach (var frame in frames)
            {
                var verdict = verifier.Verify(Encoding.UTF8.GetBytes(frame.GetRawText()));
                Assert.True(verdict.Accepted, $"frame rejected: {verdict.Reason}: {frame}");
                using var payload = JsonDocument.Parse(frame.GetProperty("payload").GetString()!);
                var values = payload.RootElement.GetProperty("values");
                Assert.Equal(Math.Round(celsius, 2), values.GetProperty("temperature").GetDouble(), 2);
                Assert.Equal(Math.Round(hectopascals, 2), values.GetProperty("pressure").GetDouble(), 2);
                Assert.InRange(values.GetProperty("relative_humidity").GetDouble() - humidity, -0.011, 0.011);
            }

            output.WriteLine($"{frames.Count} frames verified against {verifier.ExpectedDevice}: {celsius:F2} °C, {humidity:F2} %RH, {hectopascals:F2} hPa");
        }
    }

    [Fact]
    public async Task A_healthy_agent_keeps_the_i6300esb_fed_and_a_frozen_agent_gets_the_vm_reset_which_the_next_boot_reports()
    {
        var image = await images.GetAsync("amd64");
        var (vm, boot) = await VmAgent.BootAsync(image, "amd64-healthy-then-hang", Esb);
        await using (vm)
        {
            Assert.Equal("i6300ESB_timer", boot.Watchdog);
            await PlantBme280Async(vm, boot.I2cBus!.Value);
            int from = await VmAgent.StartAsync(vm, image, Config(boot.I2cBus.Value, watchdog: "/dev/watchdog0"), watchdog: true);

            // Healthy: four timeout periods, the board stays up.
            await Task.Delay(TimeSpan.FromSeconds(4 * WatchdogTimeout));
            Assert.Empty(vm.Lines(VmAgent.BootedLine(), boot.Index + 1));
            Assert.False(vm.HasExited, "QEMU exited:\n" + vm.Transcript());
            var health = await VmAgent.HealthAsync(vm, (code, _) => code == 200, TimeSpan.FromSeconds(20));
            Assert.Equal("healthy", health.GetProperty("components").GetProperty("watchdog").GetProperty("status").GetString());

            // Hang: the agent is frozen; nobody pets; the 6300ESB's second stage resets the board.
            await vm.MustRunAsync("kill -STOP $agent_pid");
            long frozen = Stopwatch.GetTimestamp();
            var (resetIndex, resetAt, _) = await vm.WaitForAsync(FirmwareLine(), vm.LineCount, TimeSpan.FromSeconds(4 * WatchdogTimeout), "the reset after the hang");
            double seconds = Stopwatch.GetElapsedTime(frozen, resetAt).TotalSeconds;
            output.WriteLine($"frozen agent → board reset after {seconds:F1} s (timeout {WatchdogTimeout} s, pets every 2 s)");
            // The reset comes one timeout after the last pet, which was at most one pet interval (2 s) before the freeze.
            Assert.InRange(seconds, WatchdogTimeout - 2.5, WatchdogTimeout + 4);

            var second = await VmAgent.WaitForBootAsync(vm, image, resetIndex);
            Assert.Equal("32", second.BootStatus); // WDIOF_CARDRESET: the driver read the 6300ESB's timeout flag
            await PlantBme280Async(vm, second.I2cBus!.Value);
            int again = await VmAgent.StartAsync(vm, image, Config(second.I2cBus.Value, watchdog: "/dev/watchdog0"), watchdog: true);
            await vm.WaitForAsync(RebootedByWatchdogLine(), again, TimeSpan.FromSeconds(30), "the agent reporting the watchdog reset");
            Assert.True(from < resetIndex);
        }
    }

    [Fact]
    public async Task A_failing_critical_sensor_closes_the_gate_and_the_vm_resets_after_the_grace()
    {
        var image = await images.GetAsync("amd64");
        var (vm, boot) = await VmAgent.BootAsync(image, "amd64-unhealthy", Esb);
        await using (vm)
        {
            await PlantBme280Async(vm, boot.I2cBus!.Value);
            int from = await VmAgent.StartAsync(vm, image, Config(boot.I2cBus.Value, watchdog: "/dev/watchdog0"), watchdog: true);
            await VmAgent.HealthAsync(vm, (code, _) => code == 200, TimeSpan.FromSeconds(30));

            // The chip starts answering garbage: ctrl_meas reads back mode 0b01, which the binding rejects on every read.
            // (Removing i2c-stub is not possible: the agent's open /dev/i2c-N holds a reference on the module, and
            // delete_module refuses with EAGAIN.)
            var rmmod = await vm.RunAsync("rmmod i2c_stub");
            Assert.NotEqual(0, rmmod.ExitCode);
            Assert.Contains("can't unload module 'i2c_stub': Resource temporarily unavailable", rmmod.Output, StringComparison.Ordinal);
            await vm.MustRunAsync($"i2cset -y {boot.I2cBus} 0x76 0xf4 0x01 b");
            long faulted = Stopwatch.GetTimestamp();

            var unhealthy = await VmAgent.HealthAsync(vm, (code, _) => code == 503, TimeSpan.FromSeconds(20));
            output.WriteLine("health while failing: " + unhealthy);
            var (_, closedAt, _) = await vm.WaitForAsync(GateClosedLine(), from, TimeSpan.FromSeconds(30), "the health gate closing");
            var (_, resetAt, _) = await vm.WaitForAsync(FirmwareLine(), from, TimeSpan.FromSeconds(60), "the reset after the grace");
            double closed = Stopwatch.GetElapsedTime(faulted, closedAt).TotalSeconds;
            double reset = Stopwatch.GetElapsedTime(faulted, resetAt).TotalSeconds;
            output.WriteLine($"fault → gate closed after {closed:F1} s (heartbeat limit 5 s) → board reset after {reset:F1} s (grace 5 s, timeout {WatchdogTimeout} s)");
            // Not before the heartbeat went stale and the grace ran out; then the watchdog's own timeout.
            Assert.InRange(reset - closed, 5 + WatchdogTimeout - 2.5, 5 + WatchdogTimeout + 4);
        }
    }

    /// <summary>
    /// The reset-loop guard on the real i6300esb: the critical sensor fails on every boot. The boot history lives on a virtio disk
    /// (the initramfs root is unpacked afresh at every reset), formatted ext4 with its journal on the host, as a Pi's root
    /// is (ext2 without one came back from the first reset with a corrupt inode bitmap: fsync does not write ext2's
    /// bitmaps), and mounted in each boot. The board resets exactly <c>watchdog.resetLoop.boots</c> (3) times; the fourth
    /// boot keeps petting and reports the suspension.
    /// </summary>
    [Fact]
    public async Task A_critical_sensor_that_always_fails_resets_the_vm_exactly_three_times_then_the_vm_stays_up_reporting_the_suspension()
    {
        const int loopBoots = 3;
        var image = await images.GetAsync("amd64");
        string disk = Path.Combine(Path.GetTempPath(), $"diode-edge-state-{Guid.NewGuid():N}.img");
        using (var file = File.Create(disk))
        {
            file.SetLength(16L << 20);
        }

        var mkfs = await Support.Tool.RunAsync("mke2fs", ["-q", "-F", "-t", "ext4", disk]);
        Assert.True(mkfs.ExitCode == 0, "mke2fs (e2fsprogs) on the host: " + mkfs.Stderr);

        try
        {
            var (vm, boot) = await VmAgent.BootAsync(image, "amd64-reset-loop", [.. Esb, "-drive", $"file={disk},format=raw,if=virtio"]);
            await using (vm)
            {
                int resets = 0;
                while (true)
                {
                    await vm.MustRunAsync("mount -t ext4 /dev/vda /var/lib/diode-edge");
                    await PlantBme280Async(vm, boot.I2cBus!.Value);
                    int from = await VmAgent.StartAsync(vm, image, Config(boot.I2cBus.Value, watchdog: "/dev/watchdog0"), watchdog: true);
                    await VmAgent.HealthAsync(vm, (code, _) => code == 200, TimeSpan.FromSeconds(60));
                    await vm.MustRunAsync($"i2cset -y {boot.I2cBus} 0x76 0xf4 0x01 b"); // the chip fails from now on, as in the test above
                    if (resets == loopBoots)
                    {
                        break;
                    }

                    await vm.WaitForAsync(GateClosedLine(), from, TimeSpan.FromSeconds(30), "the health gate closing");
                    var (resetIndex, _, _) = await vm.WaitForAsync(FirmwareLine(), from, TimeSpan.FromSeconds(60), $"reset {resets + 1}");
                    resets++;
                    boot = await VmAgent.WaitForBootAsync(vm, image, resetIndex);
                    Assert.Equal("32", boot.BootStatus);
                }

                // Boot 4: the loop is recognised at start; the failing sensor shows in /health but closes no gate, and
                // nothing resets the board within the heartbeat limit, the grace and three timeouts.
                int fourth = vm.LineCount;
                await Task.Delay(TimeSpan.FromSeconds(5 + 5 + (3 * WatchdogTimeout)));
                Assert.Empty(vm.Lines(FirmwareLine(), fourth));
                Assert.Empty(vm.Lines(GateClosedLine(), fourth));
                var health = await VmAgent.HealthAsync(vm, (code, _) => code == 503, TimeSpan.FromSeconds(20));
                var watchdog = health.GetProperty("components").GetProperty("watchdog");
                Assert.Equal($"suspended (sensor:env failed on the last {loopBoots} boots)", watchdog.GetProperty("resetLoop").GetString());
                Assert.NotEmpty(vm.Lines(ResetLoopSuspendedLine()));
                string status = await vm.MustRunAsync("diode-edge watchdog status --config /etc/diode-edge/config.json");
                output.WriteLine(status);
                Assert.Contains($"resetLoop: suspended (sensor:env failed on the last {loopBoots} boots)", status, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(disk);
        }
    }

    [Fact]
    public async Task An_orderly_stop_writes_the_magic_close_and_the_vm_stays_up()
    {
        var image = await images.GetAsync("amd64");
        var (vm, boot) = await VmAgent.BootAsync(image, "amd64-orderly-stop", Esb);
        await using (vm)
        {
            await PlantBme280Async(vm, boot.I2cBus!.Value);
            int from = await VmAgent.StartAsync(vm, image, Config(boot.I2cBus.Value, watchdog: "/dev/watchdog0"), watchdog: true);
            await vm.MustRunAsync("kill -TERM $agent_pid");
            await vm.WaitForAsync(MagicCloseLine(), from, TimeSpan.FromSeconds(30), "the magic close");

            await Task.Delay(TimeSpan.FromSeconds((2 * WatchdogTimeout) + 10));
            Assert.Empty(vm.Lines(FirmwareLine(), boot.Index));
            string alive = await vm.MustRunAsync("kill -0 $agent_pid 2>/dev/null || echo agent-gone; cat /sys/class/watchdog/watchdog0/state");
            Assert.Contains("agent-gone", alive, StringComparison.Ordinal);
            Assert.Contains("inactive", alive, StringComparison.Ordinal);
        }
    }

    private static string Config(int bus, string? watchdog) => VmAgent.Config(
        string.Create(CultureInfo.InvariantCulture, $"{{ \"type\": \"bme280\", \"name\": \"env\", \"bus\": {bus}, \"address\": \"0x76\", \"interval\": \"1s\", \"critical\": true }}"), watchdog);

    private static async Task PlantBme280Async(QemuVm vm, int bus)
    {
        foreach (string command in Bme280OnI2cStub.Commands(bus))
        {
            await vm.MustRunAsync(command);
        }

        Assert.Contains("0x60", await vm.MustRunAsync($"i2cget -y {bus} 0x76 0xd0 b"), StringComparison.Ordinal);
    }

    private static async Task<List<JsonElement>> FramesAsync(QemuVm vm, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using var history = JsonDocument.Parse(await VmAgent.GetStringAsync(vm, "/streams/env/history?limit=10"));
            var frames = history.RootElement.EnumerateArray().Select(f => f.Clone()).ToList();
            if (frames.Count >= count)
            {
                return frames;
            }

            await Task.Delay(1000);
        }

        throw new TimeoutException($"fewer than {count} frames of env in 60 s; console:\n{vm.Transcript()}");
    }

    /// <summary>SeaBIOS prints its banner on the serial port the moment the board resets.</summary>
    [GeneratedRegex("SeaBIOS")]
    private static partial Regex FirmwareLine();

    [GeneratedRegex("the last reboot was caused by the watchdog")]
    private static partial Regex RebootedByWatchdogLine();

    [GeneratedRegex("watchdog: health gate closed: sensor:env")]
    private static partial Regex GateClosedLine();

    [GeneratedRegex("watchdog: reset loop: sensor:env closed the health gate and the watchdog reset the board on each of the last 3 boots")]
    private static partial Regex ResetLoopSuspendedLine();

    [GeneratedRegex("watchdog: orderly stop, magic close written")]
    private static partial Regex MagicCloseLine();
}
