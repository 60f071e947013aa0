using System.Diagnostics;

namespace Diode.Edge.Tests.Support.Hardware;

/// <summary>
/// Starts a process in its own mount namespace (util-linux <c>unshare</c>, needs root) in which a
/// <see cref="FakeSysfs"/> is mounted over /sys/devices, /sys/bus and /sys/class, with the real /sys/devices/system
/// bound back (the .NET runtime reads the CPU topology there). The rest of the machine sees nothing of it.
/// </summary>
public static class SysfsNamespace
{
    public static bool Available => Environment.UserName == "root" && File.Exists("/usr/bin/unshare");

    public static ProcessStartInfo Wrap(ProcessStartInfo inner, FakeSysfs sysfs)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(sysfs);
        const string script = """
            set -e
            mount --rbind /sys/devices/system "$1/system"
            mount --rbind "$1" /sys/devices
            mount --rbind "$2" /sys/bus
            mount --rbind "$3" /sys/class
            shift 3
            exec "$@"
            """;
        var psi = new ProcessStartInfo("unshare")
        {
            RedirectStandardOutput = inner.RedirectStandardOutput,
            RedirectStandardError = inner.RedirectStandardError,
            UseShellExecute = false,
            WorkingDirectory = inner.WorkingDirectory,
        };
        foreach (string arg in (string[])["--mount", "--propagation", "private", "sh", "-c", script, "sh", sysfs.Devices, sysfs.Bus, sysfs.Class, inner.FileName])
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (string arg in inner.ArgumentList)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in inner.Environment)
        {
            psi.Environment[key] = value;
        }

        return psi;
    }
}
