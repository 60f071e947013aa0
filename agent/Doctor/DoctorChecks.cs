using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Diode.Edge.Agent.Configuration;
using Diode.Edge.Sensors;

namespace Diode.Edge.Agent.Doctor;

/// <summary>
/// What usually goes wrong on a Pi, checked the way a person would (boot config, /dev, /etc/group, /proc, the Diode
/// client's own version output, the clock's sync flag, free space), each with the fix.
/// </summary>
internal static partial class DoctorChecks
{
    public static IReadOnlyList<DoctorFinding> Run(DoctorContext context, ConfigException? configError, string configPath)
    {
        ArgumentNullException.ThrowIfNull(context);
        return
        [
            Config(configError, configPath),
            I2c(context),
            Groups(context),
            Watchdog(context),
            ResetLoop(context),
            DiodeClient(context),
            Clock(context),
            Disk(context),
        ];
    }

    public static DoctorFinding Config(ConfigException? error, string path)
    {
        if (error is null)
        {
            return new("config", DoctorStatus.Ok, $"{path} is valid");
        }

        var first = error.Errors.Count > 0 ? error.Errors[0] : null;
        string what = first is null ? error.Message : $"{first.Source}: {first.Key}: {first.Message}";
        return new("config", DoctorStatus.Fail, $"{path}: {what}" + (error.Errors.Count > 1 ? $" (and {error.Errors.Count - 1} more)" : string.Empty),
            $"fix the key named, then: diode-edge config check --config {path}");
    }

    public static DoctorFinding I2c(DoctorContext context)
    {
        bool needed = context.Options?.Sensors.Any(s => SensorCatalog.Find(s.Type)?.Bus == SensorBus.I2c) ?? false;
        var bootConfig = BootConfig(context);
        bool enabled = bootConfig is { } file && I2cOn().IsMatch(File.ReadAllText(file));
        bool device = File.Exists(context.Path("/dev/i2c-1")) || Directory.Exists(context.Path("/dev/i2c-1"));
        const string fix = "sudo raspi-config nonint do_i2c 0 (or add dtparam=i2c_arm=on to the boot config, or install.sh --enable-i2c), then reboot";
        if (device)
        {
            return new("i2c", DoctorStatus.Ok, "/dev/i2c-1 is present" + (bootConfig is null ? string.Empty : enabled ? $" (dtparam=i2c_arm=on in {Shown(context, bootConfig)})" : string.Empty));
        }

        string detail = enabled
            ? $"dtparam=i2c_arm=on is in {Shown(context, bootConfig!)} but /dev/i2c-1 is missing: the board has not been rebooted since, or i2c-dev is not loaded"
            : $"I2C is not enabled ({(bootConfig is null ? "no boot config.txt found" : $"no dtparam=i2c_arm=on in {Shown(context, bootConfig)}")}) and /dev/i2c-1 is missing";
        string fixNow = enabled ? "sudo modprobe i2c-dev, add i2c-dev to /etc/modules, or reboot" : fix;
        return new("i2c", needed ? DoctorStatus.Fail : DoctorStatus.Warn, detail + (needed ? "; the config has I2C sensors" : "; no configured sensor needs it"), fixNow);
    }

    public static DoctorFinding Groups(DoctorContext context)
    {
        string passwd = context.Path("/etc/passwd");
        if (!File.Exists(passwd) || !File.ReadLines(passwd).Any(l => l.StartsWith(context.ServiceUser + ":", StringComparison.Ordinal)))
        {
            return new("groups", DoctorStatus.Fail, $"the service user {context.ServiceUser} does not exist", "reinstall the package (sudo apt install --reinstall ./diode-edge_*.deb) or: sudo adduser --system --group diode-edge");
        }

        var members = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string group = context.Path("/etc/group");
        foreach (string line in File.Exists(group) ? File.ReadLines(group) : [])
        {
            string[] fields = line.Split(':');
            if (fields.Length >= 4)
            {
                members[fields[0]] = fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries);
            }
        }

        string[] wanted = ["gpio", "i2c", "watchdog"];
        var missingGroups = wanted.Where(g => !members.ContainsKey(g)).ToList();
        var notMember = wanted.Where(g => members.TryGetValue(g, out var m) && !m.Contains(context.ServiceUser)).ToList();
        if (missingGroups.Count == 0 && notMember.Count == 0)
        {
            return new("groups", DoctorStatus.Ok, $"{context.ServiceUser} is in groups gpio, i2c and watchdog");
        }

        var parts = new List<string>();
        var fixes = new List<string>();
        if (missingGroups.Count > 0)
        {
            parts.Add($"group{(missingGroups.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missingGroups)} missing");
            fixes.AddRange(missingGroups.Select(g => $"sudo groupadd --system {g}"));
        }

        var add = missingGroups.Concat(notMember).ToList();
        if (notMember.Count > 0)
        {
            parts.Add($"{context.ServiceUser} is not in {string.Join(", ", notMember)}");
        }

        fixes.Add($"sudo usermod -aG {string.Join(',', add)} {context.ServiceUser} && sudo systemctl restart diode-edge");
        return new("groups", DoctorStatus.Fail, string.Join("; ", parts), string.Join(" && ", fixes));
    }

    public static DoctorFinding Watchdog(DoctorContext context)
    {
        string device = context.Options?.Watchdog.Device ?? "/dev/watchdog";
        if (device == "simulated")
        {
            return new("watchdog", DoctorStatus.Warn, "the config uses the simulated watchdog: a hung board will not be reset", "set watchdog.device to /dev/watchdog in the config");
        }

        if (!File.Exists(context.Path(device)))
        {
            return new("watchdog", DoctorStatus.Fail, $"{device} is missing: the hardware watchdog is not enabled",
                "add dtparam=watchdog=on to the boot config (or install.sh --enable-watchdog), then reboot");
        }

        var holders = Holders(context, device);
        if (holders.Count == 0)
        {
            return new("watchdog", DoctorStatus.Ok, $"{device} is present and free" + (context.Options?.Watchdog.Enabled == false ? " (but watchdog.enabled is false in the config)" : string.Empty));
        }

        string who = string.Join(", ", holders.Select(h => $"{h.Command} (pid {h.Pid})"));
        if (holders.Any(h => h.Command == "diode-edge"))
        {
            return new("watchdog", DoctorStatus.Ok, $"{device} is held by {who}: the agent is petting it");
        }

        return holders.Any(h => h.Pid == 1)
            ? new("watchdog", DoctorStatus.Warn, $"{device} is held by {who} (systemd's RuntimeWatchdogSec): the agent relies on the systemd service watchdog alone", "to let the agent pet the hardware: RuntimeWatchdogSec=off in /etc/systemd/system.conf, then reboot")
            : new("watchdog", DoctorStatus.Fail, $"{device} is held by {who}: the agent cannot open it", $"stop and disable that program (e.g. sudo systemctl disable --now watchdog), then sudo systemctl restart diode-edge");
    }

    /// <summary>The boot history: whether the reset-loop guard suspends a check on this boot (and so a part of the Pi is broken).</summary>
    public static DoctorFinding ResetLoop(DoctorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Options ?? new AgentOptions();
        string path = context.Root == "/"
            ? Hosting.BootHistoryLocation.For(options)
            : context.Path(Path.Combine(Path.GetDirectoryName(options.Identity.KeyPath) ?? "/", Hosting.BootHistoryLocation.FileName));
        var file = new global::Diode.Edge.Watchdog.BootHistoryFile(path);
        var records = file.Load(out string? problem);
        if (problem is not null)
        {
            return new("resetLoop", DoctorStatus.Warn, $"the boot history cannot be read ({problem}): reset loops are not recognised until the agent writes a new one",
                "sudo diode-edge watchdog reset-loop clear");
        }

        string bootId = global::Diode.Edge.Watchdog.ResetLoopGuard.CurrentBootId(context.Path("/proc/sys/kernel/random/boot_id")) ?? "unknown";
        if (global::Diode.Edge.Watchdog.ResetLoopGuard.FindLoop(records, bootId, options.Watchdog.ResetLoop) is { } loop)
        {
            return new("resetLoop", DoctorStatus.Warn,
                $"resetLoop: {loop.Summary}: the watchdog reset the board because of {loop.Check} on each of the last {loop.Boots} boots, so on this boot {loop.Check} no longer stops the petting (the agent's own hangs still reset the board)",
                $"repair {loop.Check} (the suspension ends by itself when it passes again; diode-edge watchdog status shows the history), or end it now: sudo diode-edge watchdog reset-loop clear");
        }

        int resets = records.Count(r => r.ResetByWatchdog);
        return new("resetLoop", DoctorStatus.Ok, records.Count == 0
            ? "no reset loop (no boot history yet)"
            : $"no reset loop ({records.Count} boots in the history, {resets} began with a watchdog reset)");
    }

    /// <summary>The oldest client with everything the agent uses: <c>GET /connection-client-id</c> (consumer identity) came in v1.17.6.</summary>
    public static readonly Version OldestSupportedClient = new(1, 17, 6);

    public static DoctorFinding DiodeClient(DoctorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var diode = context.Options?.Diode;
        string path = diode?.Path ?? "diode";
        bool on = diode?.IsOn() == true;
        string? found = Resolve(context, path);
        if (found is null)
        {
            var status = on ? DoctorStatus.Fail : DoctorStatus.Warn;
            return new("diode", status, $"the Diode client ({path}) is not installed" + (on ? " and the agent is set to run it" : string.Empty),
                "install it: curl -Ssf https://diode.io/install.sh | sh (then set diode.path if it is not on PATH)");
        }

        string? dbPath = diode?.DbPath is { } db ? context.Path(db) : null;
        string? version = ClientVersion(found, dbPath);
        if (version is null)
        {
            return new("diode", DoctorStatus.Fail, $"{found} does not print its version (diode -update=false version): it may be for another architecture or broken", "reinstall the Diode client for this board (uname -m)");
        }

        var warnings = new List<string>();
        var fixes = new List<string>();
        if (Diode.DiodeCommandLine.ParseVersion(version) is { } parsed && parsed < OldestSupportedClient)
        {
            warnings.Add($"Diode Client {version} is older than v{OldestSupportedClient} (consumer identity needs GET /connection-client-id)");
            fixes.Add("update the client: curl -Ssf https://diode.io/install.sh | sh");
        }

        if (diode is { Mode: DiodeMode.Protected } && !DiodeOptions.IsRealFleet(diode.Fleet))
        {
            warnings.Add(diode.Fleet is null
                ? "diode.fleet is not set: protected mode with the client's default fleet would admit anyone, so the agent keeps the client off"
                : $"diode.fleet is the default fleet {DiodeOptions.DefaultFleet}, which admits anyone");
            fixes.Add("set diode.fleet to your fleet contract's address (or mode \"private\" with diode.allow)");
        }

        if (diode is not null && DiodeOptions.IsRealFleet(diode.Fleet) && dbPath is not null && StoredFleet(dbPath) is { } stored
            && !string.Equals(stored, diode.Fleet, StringComparison.OrdinalIgnoreCase))
        {
            warnings.Add($"the client's database {diode.DbPath} holds fleet {stored}, not diode.fleet {diode.Fleet} (the agent sets it again at its next start)");
            fixes.Add("sudo systemctl restart diode-edge");
        }

        return warnings.Count == 0
            ? new("diode", DoctorStatus.Ok, $"{found}: Diode Client {version}")
            : new("diode", DoctorStatus.Warn, $"{found}: Diode Client {version}; " + string.Join("; ", warnings), string.Join("; ", fixes.Distinct()));
    }

    /// <summary>The fleet stored in the client's database (20 raw bytes under <c>fleet</c>), or null.</summary>
    private static string? StoredFleet(string dbPath)
    {
        try
        {
            return Diode.DiodeDatabase.Get(dbPath, "fleet") is { Length: 20 } raw ? "0x" + Convert.ToHexStringLower(raw) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>With <c>mqtt.enabled</c>: a real connection to the broker with the agent's settings.</summary>
    public static async Task<DoctorFinding> MqttAsync(DoctorContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var mqtt = context.Options?.Mqtt;
        if (mqtt is not { Enabled: true })
        {
            return new("mqtt", DoctorStatus.Ok, "the MQTT output is off (mqtt.enabled)");
        }

        string broker = $"{mqtt.Host}:{Mqtt.MqttClientSettings.Port(mqtt)}";
        string how = (mqtt.Tls.Enabled ? "TLS" : "plain TCP") + (mqtt.Username is { } user ? $", as {user}" : string.Empty);
        string? problem = await Mqtt.MqttBrokerCheck.ConnectAsync(mqtt, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        return problem is null
            ? new("mqtt", DoctorStatus.Ok, $"the broker {broker} accepts the agent's connection ({how})")
            : new("mqtt", DoctorStatus.Fail, $"cannot connect to the broker {broker} ({how}): {problem}",
                "check mqtt.host and mqtt.port, that the broker runs and this board can reach it (e.g. mosquitto: systemctl status mosquitto), and the TLS and password settings named above");
    }

    public static DoctorFinding Clock(DoctorContext context)
    {
        // systemd-timesyncd creates this file once it has synchronised the clock.
        if (File.Exists(context.Path("/run/systemd/timesync/synchronized")))
        {
            return new("clock", DoctorStatus.Ok, "the clock is synchronised (systemd-timesyncd)");
        }

        return new("clock", DoctorStatus.Warn, "the clock is not known to be synchronised: frame timestamps may be wrong (a Pi has no battery-backed clock)",
            "sudo timedatectl set-ntp true, and let the Pi reach an NTP server (UDP 123); check with: timedatectl timesync-status");
    }

    public static DoctorFinding Disk(DoctorContext context)
    {
        var store = context.Options?.Store;
        string path = store?.Path ?? "/var/lib/diode-edge/store.db";
        string? directory = Path.GetDirectoryName(Path.IsPathRooted(path) ? context.Path(path) : Path.GetFullPath(path));
        while (directory is not null && !Directory.Exists(directory))
        {
            directory = Path.GetDirectoryName(directory);
        }

        if (directory is null)
        {
            return new("disk", DoctorStatus.Warn, $"cannot tell the free space for {path}");
        }

        long free = new DriveInfo(directory).AvailableFreeSpace;
        long needed = Math.Min(store?.MaxSize ?? 512L << 20, 512L << 20);
        string freeText = (free / 1048576.0).ToString("F0", CultureInfo.InvariantCulture) + " MB";
        if (free >= needed)
        {
            return new("disk", DoctorStatus.Ok, $"{freeText} free for the store ({path})");
        }

        return new("disk", free < needed / 8 ? DoctorStatus.Fail : DoctorStatus.Warn,
            $"only {freeText} free where the store lives ({path}); the store may use up to {needed / 1048576} MB",
            "free space (sudo apt clean; sudo journalctl --vacuum-size=50M) or lower store.maxSize / store.retention in the config");
    }

    private static readonly string[] BootConfigs = ["/boot/firmware/config.txt", "/boot/config.txt"];

    private static string? BootConfig(DoctorContext context) => BootConfigs.Select(context.Path).FirstOrDefault(File.Exists);

    private static string Shown(DoctorContext context, string path) => context.Root == "/" ? path : path[context.Root.TrimEnd('/').Length..];

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

    private static string? Resolve(DoctorContext context, string path)
    {
        if (path.Contains('/', StringComparison.Ordinal))
        {
            string full = context.Path(path);
            return File.Exists(full) ? full : null;
        }

        string search = context.Root == "/" ? Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin" : "/usr/local/bin:/usr/bin:/bin:/opt/diode";
        return search.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => context.Path(Path.Combine(d, path))).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// Runs <c>diode -update=false [-dbpath=…] version</c> (10 s at most) and reads its "Diode Client version" label. Never
    /// without <c>-update=false</c>: any subcommand of the client may replace it from GitHub, and without <c>-dbpath</c> it
    /// creates a key under the caller's home.
    /// </summary>
    private static string? ClientVersion(string executable, string? dbPath)
    {
        var options = new DiodeOptions { DbPath = dbPath };
        var (code, output) = Processes.BoundedCommand.RunAsync(executable, Diode.DiodeCommandLine.Version(options), TimeSpan.FromSeconds(10), CancellationToken.None).GetAwaiter().GetResult();
        if (code == -1)
        {
            return null;
        }

        return Diode.DiodeLogParser.FindVersion(output) is { Length: > 0 } label
            ? label.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]
            : null;
    }

    [GeneratedRegex(@"^\s*dtparam=(i2c_arm|i2c)=on\b", RegexOptions.Multiline)]
    private static partial Regex I2cOn();

}
