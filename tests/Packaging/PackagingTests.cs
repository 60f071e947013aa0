using System.Globalization;
using System.Text.RegularExpressions;
using Diode.Edge.Tests.Support;
using Xunit.Abstractions;

namespace Diode.Edge.Tests.Packaging;

/// <summary>
/// The .deb packages as a Pi owner gets them, checked with Debian's own tools: lintian, dpkg-deb, dpkg --root,
/// systemd-analyze verify and security, and the arm64 build run under qemu-aarch64-static.
/// </summary>
[Collection(DebPackagesCollection.Name)]
[Trait("Tier", Tiers.System)]
public sealed partial class PackagingTests(DebPackages packages, ITestOutputHelper output)
{
    [Fact]
    public async Task Lintian_finds_no_errors_and_no_warnings_in_either_package()
    {
        foreach (string arch in (string[])["amd64", "arm64"])
        {
            var (code, stdout, stderr) = await Tool.RunAsync("lintian", ["--tag-display-limit", "0", packages.Deb(arch)], timeout: TimeSpan.FromMinutes(5));
            output.WriteLine($"lintian {arch} (exit {code}):\n{stdout}{stderr}");
            var findings = stdout.Split('\n').Where(l => l.StartsWith("E:", StringComparison.Ordinal) || l.StartsWith("W:", StringComparison.Ordinal)).ToList();
            Assert.True(findings.Count == 0, $"lintian {arch}:\n" + string.Join('\n', findings));
            Assert.Equal(0, code);
        }
    }

    [Theory]
    [InlineData("amd64")]
    [InlineData("arm64")]
    public async Task The_package_holds_the_agent_unit_udev_rule_and_conffile_owned_by_root_with_the_right_modes(string arch)
    {
        var (code, listing, stderr) = await Tool.RunAsync("dpkg-deb", ["-c", packages.Deb(arch)]);
        Assert.True(code == 0, stderr);
        var entries = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => ListingLine().Match(l)).Where(m => m.Success)
            .ToDictionary(m => m.Groups["path"].Value.TrimEnd('/'), m => (Mode: m.Groups["mode"].Value, Owner: m.Groups["owner"].Value, Link: m.Groups["link"].Value));

        Assert.All(entries.Values, e => Assert.Equal("root/root", e.Owner));
        Assert.Equal("-rwxr-xr-x", entries["./usr/lib/diode-edge/diode-edge"].Mode);
        Assert.Equal("../lib/diode-edge/diode-edge", entries["./usr/bin/diode-edge"].Link);
        Assert.Equal("-rw-r--r--", entries["./lib/systemd/system/diode-edge.service"].Mode);
        Assert.Equal("-rw-r--r--", entries["./lib/udev/rules.d/60-diode-edge-watchdog.rules"].Mode);
        Assert.Equal("-rw-r--r--", entries["./etc/diode-edge/config.json"].Mode);
        // Native AOT: one executable with the runtime linked in, no managed assemblies, no runtime libraries beside it.
        Assert.DoesNotContain(entries.Keys, p => p.EndsWith(".dll", StringComparison.Ordinal) || p.EndsWith("libcoreclr.so", StringComparison.Ordinal) || p.EndsWith(".dbg", StringComparison.Ordinal));
        Assert.False(entries.ContainsKey("./usr/lib/diode-edge/libSystem.Native.so"), "a runtime library beside the Native AOT binary");
        Assert.True(entries.ContainsKey("./usr/lib/diode-edge/libe_sqlite3.so"), "SQLite for the store");
        Assert.True(entries.ContainsKey("./usr/share/man/man1/diode-edge.1.gz"));
        // Every page the README links to is beside it, so its links resolve on the Pi.
        string readme = File.ReadAllText(Path.Combine(RepoRoot.Path, "README.md"));
        var linked = System.Text.RegularExpressions.Regex.Matches(readme, @"\]\((docs/[^)#]+)").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(linked);
        Assert.All(linked, page => Assert.True(entries.ContainsKey("./usr/share/doc/diode-edge/" + page), $"{page}, which the README links to, is not in the package"));
        Assert.Equal("-rw-r--r--", entries["./usr/share/doc/diode-edge/docs/config.schema.json"].Mode);
        Assert.DoesNotContain(entries.Keys, p => p.EndsWith(".pdb", StringComparison.Ordinal) || p.EndsWith("config.dev.json", StringComparison.Ordinal));

        var (_, control, _) = await Tool.RunAsync("dpkg-deb", ["-f", packages.Deb(arch)]);
        Assert.Contains($"Version: {packages.Version}\n", control, StringComparison.Ordinal);
        // At most 40 MB installed (it was 140 MB as ReadyToRun); Debian's zlib and OpenSSL, not copies.
        long installedKb = long.Parse(InstalledSize().Match(control).Groups[1].Value, CultureInfo.InvariantCulture);
        output.WriteLine($"{arch}: installed size {installedKb} KB");
        Assert.True(installedKb <= 40 * 1024, $"{arch}: installed size {installedKb} KB > 40 MB");
        Assert.Contains("Depends: libc6 (>= 2.31), zlib1g, libssl3, libsecp256k1-1, adduser, passwd\n", control, StringComparison.Ordinal);
        Assert.Contains($"Architecture: {arch}\n", control, StringComparison.Ordinal);
        using var extract = new TempDirectory();
        Assert.Equal(0, (await Tool.RunAsync("dpkg-deb", ["-e", packages.Deb(arch), extract.Path])).ExitCode);
        Assert.Equal("/etc/diode-edge/config.json\n", File.ReadAllText(Path.Combine(extract.Path, "conffiles")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode(Path.Combine(extract.Path, "postinst")));
    }

    [Fact]
    public async Task The_amd64_binary_reports_the_version_from_the_build_props_and_accepts_the_packaged_config()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, (await Tool.RunAsync("dpkg-deb", ["-x", packages.Deb("amd64"), dir.Path])).ExitCode);
        string exe = Path.Combine(dir.Path, "usr/lib/diode-edge/diode-edge");

        var (code, stdout, stderr) = await Tool.RunAsync(exe, ["--version"]);
        Assert.True(code == 0, stderr);
        Assert.Equal(packages.Version, stdout.Trim());
        (code, stdout, stderr) = await Tool.RunAsync(exe, ["config", "check", "--config", Path.Combine(dir.Path, "etc/diode-edge/config.json")]);
        Assert.True(code == 0, stdout + stderr);
    }

    [Fact]
    public async Task The_unit_passes_systemd_analyze_verify_and_its_exposure_is_at_most_2_0()
    {
        using var root = new TempDirectory();
        Assert.Equal(0, (await Tool.RunAsync("dpkg-deb", ["-x", packages.Deb("amd64"), root.Path])).ExitCode);

        // verify resolves the unit's dependencies and ExecStart inside the root: give it this machine's targets.
        foreach (string unit in System.IO.Directory.EnumerateFiles("/lib/systemd/system").Where(f => f.EndsWith(".target", StringComparison.Ordinal) || f.EndsWith(".slice", StringComparison.Ordinal)))
        {
            string copy = Path.Combine(root.Path, "lib/systemd/system", Path.GetFileName(unit));
            if (!File.Exists(copy))
            {
                File.Copy(unit, copy);
            }
        }

        var (code, stdout, stderr) = await Tool.RunAsync("systemd-analyze", ["verify", "--root=" + root.Path, "/lib/systemd/system/diode-edge.service"]);
        Assert.True(code == 0 && (stdout + stderr).Trim().Length == 0, $"systemd-analyze verify (exit {code}):\n{stdout}{stderr}");

        (code, stdout, stderr) = await Tool.RunAsync("systemd-analyze", ["security", "--offline=true", "--no-pager", "--root=" + root.Path, "diode-edge.service"]);
        output.WriteLine(stdout + stderr);
        var exposure = Exposure().Match(stdout + stderr);
        Assert.True(exposure.Success, stdout + stderr);
        double level = double.Parse(exposure.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(level <= 2.0, $"exposure {level} > 2.0:\n{stdout}");
    }

    [Fact]
    public async Task Installed_into_a_scratch_root_upgraded_with_a_changed_conffile_removed_and_purged()
    {
        using var root = new ScratchRoot();
        var (code, stdout, stderr) = await root.DpkgAsync("-i", packages.Deb("amd64"));
        Assert.True(code == 0, stdout + stderr);

        // Files, the service user and its groups, the state directory, the enabled service.
        Assert.Equal("../lib/diode-edge/diode-edge", new FileInfo(root.PathOf("usr/bin/diode-edge")).LinkTarget);
        Assert.True(File.Exists(root.PathOf("usr/lib/diode-edge/diode-edge")));
        int? uid = root.IdOf("passwd", "diode-edge");
        Assert.NotNull(uid);
        Assert.Contains(":/var/lib/diode-edge:/usr/sbin/nologin", root.Read("etc/passwd"), StringComparison.Ordinal);
        Assert.All((string[])["gpio", "i2c", "watchdog"], g => Assert.Contains("diode-edge", root.MembersOf(g)));
        var state = new DirectoryInfo(root.PathOf("var/lib/diode-edge"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, state.UnixFileMode);
        Assert.Equal(uid, (await Tool.RunAsync("stat", ["-c", "%u", state.FullName])).Stdout.Trim() is var owner ? int.Parse(owner, CultureInfo.InvariantCulture) : null);
        Assert.Equal("/lib/systemd/system/diode-edge.service", new FileInfo(root.PathOf("etc/systemd/system/multi-user.target.wants/diode-edge.service")).LinkTarget);

        // The owner edits the config and the device has a key and a store; an upgrade keeps all three.
        string edited = root.Read("etc/diode-edge/config.json").Replace("\"interval\": \"10s\"", "\"interval\": \"30s\"", StringComparison.Ordinal);
        Assert.Contains("\"interval\": \"30s\"", edited, StringComparison.Ordinal);
        root.Write("etc/diode-edge/config.json", edited);
        root.Write("var/lib/diode-edge/device.key", "0x" + new string('1', 64) + "\n");
        root.Write("var/lib/diode-edge/store.db", "frames");
        string next = await RepackWithVersionAsync(packages.Deb("amd64"), packages.Version + "+1");
        (code, stdout, stderr) = await root.DpkgAsync("-i", next);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains($"Version: {packages.Version}+1", root.Read("var/lib/dpkg/status"), StringComparison.Ordinal);
        Assert.Equal(edited, root.Read("etc/diode-edge/config.json"));
        Assert.True(File.Exists(root.PathOf("var/lib/diode-edge/device.key")));

        // remove keeps the key, the store and the config; purge deletes them.
        (code, stdout, stderr) = await root.DpkgAsync("--remove", "diode-edge");
        Assert.True(code == 0, stdout + stderr);
        Assert.False(File.Exists(root.PathOf("usr/lib/diode-edge/diode-edge")));
        Assert.True(File.Exists(root.PathOf("var/lib/diode-edge/device.key")));
        Assert.True(File.Exists(root.PathOf("var/lib/diode-edge/store.db")));
        Assert.True(File.Exists(root.PathOf("etc/diode-edge/config.json")));
        (code, stdout, stderr) = await root.DpkgAsync("--purge", "diode-edge");
        Assert.True(code == 0, stdout + stderr);
        Assert.False(System.IO.Directory.Exists(root.PathOf("var/lib/diode-edge")));
        Assert.False(System.IO.Directory.Exists(root.PathOf("etc/diode-edge")));
        Assert.False(File.Exists(root.PathOf("etc/systemd/system/multi-user.target.wants/diode-edge.service")));
        File.Delete(next);
    }

    [Fact]
    public async Task The_arm64_binary_runs_under_qemu_aarch64_static()
    {
        Assert.True(File.Exists("/usr/bin/qemu-aarch64-static"), "qemu-user-static is missing (./test.sh installs it)");
        Assert.True(File.Exists("/lib/ld-linux-aarch64.so.1"), "the arm64 C library is missing: dpkg --add-architecture arm64; apt-get install libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 (./test.sh does)");
        using var dir = new TempDirectory();
        Assert.Equal(0, (await Tool.RunAsync("dpkg-deb", ["-x", packages.Deb("arm64"), dir.Path])).ExitCode);
        string exe = Path.Combine(dir.Path, "usr/lib/diode-edge/diode-edge");
        var (_, fileType, _) = await Tool.RunAsync("file", ["-L", exe]);
        Assert.Contains("ARM aarch64", fileType, StringComparison.Ordinal);

        var (code, stdout, stderr) = await Tool.RunAsync("/usr/bin/qemu-aarch64-static", ["-L", "/", exe, "--version"], timeout: TimeSpan.FromMinutes(3));
        Assert.True(code == 0, stderr);
        Assert.Equal(packages.Version, stdout.Trim());
        (code, stdout, stderr) = await Tool.RunAsync("/usr/bin/qemu-aarch64-static", ["-L", "/", exe, "config", "check", "--config", Path.Combine(dir.Path, "etc/diode-edge/config.json")], timeout: TimeSpan.FromMinutes(3));
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("config.json: ok", stdout + stderr, StringComparison.Ordinal);
    }

    private static async Task<string> RepackWithVersionAsync(string deb, string version)
    {
        var dir = Path.Combine(Path.GetTempPath(), "diode-edge-repack-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(0, (await Tool.RunAsync("dpkg-deb", ["-R", deb, dir])).ExitCode);
        string control = Path.Combine(dir, "DEBIAN", "control");
        File.WriteAllText(control, Regex.Replace(File.ReadAllText(control), "^Version: .*$", "Version: " + version, RegexOptions.Multiline));
        string output = dir + ".deb";
        var (code, _, stderr) = await Tool.RunAsync("dpkg-deb", ["--root-owner-group", "-Zxz", "-z1", "--build", dir, output], timeout: TimeSpan.FromMinutes(3));
        Assert.True(code == 0, stderr);
        System.IO.Directory.Delete(dir, recursive: true);
        return output;
    }

    [GeneratedRegex(@"^(?<mode>[-dlrwxst]{10}) (?<owner>\S+)\s+\d+ \S+ \S+ (?<path>\S+)(?: -> (?<link>\S+))?$")]
    private static partial Regex ListingLine();

    [GeneratedRegex(@"^Installed-Size: (\d+)$", RegexOptions.Multiline)]
    private static partial Regex InstalledSize();

    [GeneratedRegex(@"Overall exposure level for diode-edge\.service: ([0-9.]+)")]
    private static partial Regex Exposure();
}
