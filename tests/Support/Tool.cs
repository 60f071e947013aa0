using System.ComponentModel;
using System.Diagnostics;

namespace Diode.Edge.Tests.Support;

/// <summary>Runs a real command-line tool (dpkg-deb, lintian, systemd-analyze, qemu) and captures what it printed.</summary>
public static class Tool
{
    /// <summary>The Debian package of each program the tests start by name (<c>./test.sh</c> installs them all).</summary>
    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        ["bash"] = "bash", ["chown"] = "coreutils", ["stat"] = "coreutils", ["mkfifo"] = "coreutils", ["sleep"] = "coreutils",
        ["true"] = "coreutils", ["false"] = "coreutils", ["kill"] = "procps", ["dpkg"] = "dpkg", ["dpkg-deb"] = "dpkg",
        ["file"] = "file", ["lintian"] = "lintian", ["mke2fs"] = "e2fsprogs", ["mosquitto"] = "mosquitto",
        ["mosquitto_passwd"] = "mosquitto", ["openssl"] = "openssl", ["setpriv"] = "util-linux", ["flock"] = "util-linux",
        ["unshare"] = "util-linux", ["mount"] = "mount", ["umount"] = "mount", ["systemd-analyze"] = "systemd",
        ["node"] = "nodejs", ["chromium"] = "chromium", ["qemu-aarch64-static"] = "qemu-user-static",
        ["qemu-system-x86_64"] = "qemu-system-x86", ["qemu-system-aarch64"] = "qemu-system-arm",
    };

    /// <summary>The Debian package that provides <paramref name="file"/> (a name or a path), or null when the tests do not know it.</summary>
    public static string? PackageOf(string file) => Packages.GetValueOrDefault(Path.GetFileName(file));

    /// <summary>
    /// Starts <paramref name="psi"/>; a program that is not installed fails the test with the Debian package to install
    /// (a missing tool never skips a test, nor passes it).
    /// </summary>
    public static Process Start(ProcessStartInfo psi)
    {
        ArgumentNullException.ThrowIfNull(psi);
        try
        {
            return Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {psi.FileName}");
        }
        catch (Win32Exception e) when (e.NativeErrorCode == 2)
        {
            string install = PackageOf(psi.FileName) is { } package ? $"apt-get install {package}" : "install it";
            throw new InvalidOperationException($"{psi.FileName} is not installed: {install} (./test.sh installs what every tier needs)", e);
        }
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoRoot.Path,
        };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        using var process = Start(psi);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time; stderr: {await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
