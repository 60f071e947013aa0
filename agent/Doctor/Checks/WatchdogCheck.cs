using System.Globalization;

namespace Diode.Edge.Agent.Doctor.Checks;

/// <summary><c>watchdog</c>: <c>watchdog.device</c> is there, and who holds it open (every <c>/proc/*/fd</c>).</summary>
internal sealed class WatchdogCheck : IDoctorCheck
{
    public string Name => "watchdog";

    public ValueTask<DoctorFinding> RunAsync(DoctorContext context, CancellationToken cancellationToken) => ValueTask.FromResult(Check(context));

    public DoctorFinding Check(DoctorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string device = context.Options?.Watchdog.Device ?? "/dev/watchdog";
        if (device == "simulated")
        {
            return new(Name, DoctorStatus.Warn, "the config uses the simulated watchdog: a hung board will not be reset", "set watchdog.device to /dev/watchdog in the config");
        }

        if (!File.Exists(context.Path(device)))
        {
            return new(Name, DoctorStatus.Fail, $"{device} is missing: the hardware watchdog is not enabled",
                "add dtparam=watchdog=on to the boot config (or install.sh --enable-watchdog), then reboot");
        }

        var holders = Holders(context, device);
        if (holders.Count == 0)
        {
            return new(Name, DoctorStatus.Ok, $"{device} is present and free" + (context.Options?.Watchdog.Enabled == false ? " (but watchdog.enabled is false in the config)" : string.Empty));
        }

        string who = string.Join(", ", holders.Select(h => $"{h.Command} (pid {h.Pid})"));
        if (holders.Any(h => h.Command == "diode-edge"))
        {
            return new(Name, DoctorStatus.Ok, $"{device} is held by {who}: the agent is petting it");
        }

        return holders.Any(h => h.Pid == 1)
            ? new(Name, DoctorStatus.Warn, $"{device} is held by {who} (systemd's RuntimeWatchdogSec): the agent relies on the systemd service watchdog alone", "to let the agent pet the hardware: RuntimeWatchdogSec=off in /etc/systemd/system.conf, then reboot")
            : new(Name, DoctorStatus.Fail, $"{device} is held by {who}: the agent cannot open it", $"stop and disable that program (e.g. sudo systemctl disable --now watchdog), then sudo systemctl restart diode-edge");
    }

    /// <summary>The processes with <paramref name="device"/> (or its watchdogN alias) open, from /proc/*/fd.</summary>
    private static List<(int Pid, string Command)> Holders(DoctorContext context, string device)
    {
        var found = new List<(int, string)>();
        string proc = context.Path("/proc");
        if (!Directory.Exists(proc))
        {
            return found;
        }

        foreach (string dir in Directory.EnumerateDirectories(proc))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            try
            {
                bool holds = Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd"))
                    .Select(fd => new FileInfo(fd).LinkTarget)
                    .Any(target => target is not null && (target == device || (target.StartsWith("/dev/watchdog", StringComparison.Ordinal) && device.StartsWith("/dev/watchdog", StringComparison.Ordinal))));
                if (holds)
                {
                    string comm = File.Exists(Path.Combine(dir, "comm")) ? File.ReadAllText(Path.Combine(dir, "comm")).Trim() : "?";
                    found.Add((pid, comm));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        return found;
    }
}
