using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Packaging;

/// <summary><c>install.sh</c> against fake Pi roots: the plan, idempotence, the boot config, and clear refusals.</summary>
[Collection(DebPackagesCollection.Name)]
[Trait("Tier", Tiers.System)]
public sealed class InstallScriptTests(DebPackages packages)
{
    [Fact]
    public async Task Dry_run_prints_the_plan_for_a_pi_and_changes_nothing()
    {
        using var root = new ScratchRoot(piModel: "Raspberry Pi 4 Model B Rev 1.5");
        string bootBefore = root.Read("boot/firmware/config.txt");

        var (code, stdout, stderr) = await InstallAsync(root, "--dry-run", "--enable-i2c", "--enable-watchdog");

        Assert.True(code == 0, stderr);
        Assert.Contains("Raspberry Pi 4 Model B Rev 1.5 (amd64)", stdout, StringComparison.Ordinal);
        Assert.Contains($"  - install diode-edge_{packages.Version}_amd64.deb (diode-edge {packages.Version}, installed: none)", stdout, StringComparison.Ordinal);
        Assert.Contains("  - add 'dtparam=i2c_arm=on' to /boot/firmware/config.txt", stdout, StringComparison.Ordinal);
        Assert.Contains("  - add 'i2c-dev' to /etc/modules", stdout, StringComparison.Ordinal);
        Assert.Contains("  - add 'dtparam=watchdog=on' to /boot/firmware/config.txt", stdout, StringComparison.Ordinal);
        Assert.Contains("Dry run: nothing changed.", stdout, StringComparison.Ordinal);
        Assert.Equal(bootBefore, root.Read("boot/firmware/config.txt"));
        Assert.False(File.Exists(root.PathOf("etc/modules")));
        Assert.False(System.IO.Directory.Exists(root.PathOf("usr/lib/diode-edge")));
    }

    [Fact]
    public async Task Installs_enables_i2c_and_the_watchdog_once_and_a_second_run_changes_nothing()
    {
        using var root = new ScratchRoot(piModel: "Raspberry Pi 5 Model B Rev 1.0", bootConfig: "/boot/config.txt");
        root.Write("etc/modules", "# /etc/modules\nloop");

        var (code, stdout, stderr) = await InstallAsync(root, "--enable-i2c", "--enable-watchdog");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("Reboot needed", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(root.PathOf("usr/lib/diode-edge/diode-edge")));
        Assert.Equal("# Raspberry Pi OS boot config\n[all]\narm_64bit=1\ndtparam=i2c_arm=on\ndtparam=watchdog=on\n", root.Read("boot/config.txt"));
        Assert.Equal("# /etc/modules\nloop\ni2c-dev\n", root.Read("etc/modules"));

        string[] files = ["boot/config.txt", "etc/modules", "var/lib/dpkg/status", "etc/passwd", "etc/group"];
        var before = files.ToDictionary(f => f, root.Read);
        (code, stdout, stderr) = await InstallAsync(root, "--enable-i2c", "--enable-watchdog");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("Nothing to do", stdout, StringComparison.Ordinal);
        Assert.All(files, f => Assert.Equal(before[f], root.Read(f)));
    }

    [Fact]
    public async Task Refuses_clearly_what_cannot_work()
    {
        using var notDebian = new ScratchRoot();
        File.Delete(notDebian.PathOf("etc/debian_version"));
        var (code, _, stderr) = await InstallAsync(notDebian, "--dry-run");
        Assert.NotEqual(0, code);
        Assert.Contains("not a Debian-based system", stderr, StringComparison.Ordinal);

        using var thirtyTwoBit = new ScratchRoot(arch: "armhf", piModel: "Raspberry Pi 3 Model B Rev 1.2");
        (code, _, stderr) = await Tool.RunAsync("bash", ["install.sh", "--root", thirtyTwoBit.Root, "--dry-run"]);
        Assert.NotEqual(0, code);
        Assert.Contains("needs 64-bit Raspberry Pi OS", stderr, StringComparison.Ordinal);

        using var noBootConfig = new ScratchRoot(bootConfig: null);
        (code, _, stderr) = await InstallAsync(noBootConfig, "--dry-run", "--enable-i2c");
        Assert.NotEqual(0, code);
        Assert.Contains("no boot config", stderr, StringComparison.Ordinal);

        // This (Debian) machine itself, as user nobody: no change without root.
        (code, _, stderr) = await Tool.RunAsync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "bash", Path.Combine(RepoRoot.Path, "install.sh"), "--enable-i2c"], workingDirectory: "/");
        Assert.NotEqual(0, code);
        Assert.Contains("run as root", stderr, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> InstallAsync(ScratchRoot root, params string[] args) =>
        Tool.RunAsync("bash", ["install.sh", "--root", root.Root, "--deb", packages.Deb("amd64"), .. args], timeout: TimeSpan.FromMinutes(3));
}
