using System.Text.Json;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Doctor;

/// <summary><c>diode-edge doctor</c> (the real executable) against fake Pi roots: every planted problem is reported with its fix.</summary>
[Trait("Tier", Tiers.Integration)]
public sealed class DoctorTests
{
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static readonly string Config = """
        { "sensors": [ { "type": "bme280", "name": "env", "bus": 1, "address": "0x76" } ],
          "watchdog": { "enabled": true, "device": "/dev/watchdog" },
          "diode": { "enabled": true, "path": "/usr/bin/diode", "fleet": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed" },
          "store": { "path": "/var/lib/diode-edge/store.db" } }
        """;

    [Fact]
    public async Task Each_planted_problem_is_reported_with_its_fix_and_the_exit_code_is_1()
    {
        using var root = new FakeRoot();
        root.File("/etc/diode-edge/config.json", Config)
            .File("/boot/firmware/config.txt", "# I2C never enabled\ndtparam=audio=on\n")
            .File("/etc/passwd", "root:x:0:0::/root:/bin/sh\ndiode-edge:x:998:998::/var/lib/diode-edge:/usr/sbin/nologin\n")
            .File("/etc/group", "root:x:0:\ngpio:x:997:diode-edge\ni2c:x:996:pi\n")
            .File("/dev/watchdog", string.Empty)
            .Process(812, "watchdog", "/dev/watchdog")
            .File("/usr/bin/diode", "#!/bin/sh\necho 'exec format error' >&2\nexit 126\n", Executable);
        using var disk = TmpfsMount.Create("1m", root.Full("/var/lib/diode-edge"));

        var (code, report) = await DoctorAsync(root);

        Assert.Equal(1, code);
        Assert.False(report.GetProperty("ok").GetBoolean());
        var checks = report.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("check").GetString()!);
        Assert.Equal(["config", "i2c", "groups", "watchdog", "resetLoop", "diode", "clock", "disk", "mqtt"], checks.Keys);

        AssertFinding(checks["config"], "ok", "is valid");
        AssertFinding(checks["i2c"], "fail", "no dtparam=i2c_arm=on in /boot/firmware/config.txt", "raspi-config nonint do_i2c 0");
        AssertFinding(checks["groups"], "fail", "group watchdog missing; diode-edge is not in i2c", "sudo usermod -aG watchdog,i2c diode-edge");
        AssertFinding(checks["watchdog"], "fail", "held by watchdog (pid 812)", "systemctl disable --now watchdog");
        AssertFinding(checks["diode"], "fail", "does not print its version", "reinstall the Diode client");
        AssertFinding(checks["clock"], "warn", "not known to be synchronised", "timedatectl set-ntp true");
        AssertFinding(checks["disk"], "fail", "only 1 MB free", "store.maxSize");
        AssertFinding(checks["mqtt"], "ok", "the MQTT output is off");
    }

    [Fact]
    public async Task The_mqtt_check_connects_with_the_agents_settings_and_says_what_is_wrong()
    {
        using var root = new FakeRoot();
        string passwords = root.Full("/etc/mosquitto/passwd");
        Directory.CreateDirectory(Path.GetDirectoryName(passwords)!);
        var (created, _, stderr) = await Tool.RunAsync("mosquitto_passwd", ["-c", "-b", passwords, "edge", "s3cret word"]);
        Assert.True(created == 0, stderr);
        await using var broker = await Mosquitto.StartAsync(passwordFile: passwords);
        root.File("/etc/diode-edge/good.pw", "s3cret word\n", UnixFileMode.UserRead | UnixFileMode.UserWrite)
            .File("/etc/diode-edge/bad.pw", "guess\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        string Config(int port, string passwordFile) => $$"""
            { "sensors": [ { "type": "simulated", "name": "env" } ],
              "mqtt": { "enabled": true, "host": "127.0.0.1", "port": {{port}}, "username": "edge", "passwordFile": "{{root.Full(passwordFile)}}" } }
            """;

        root.File("/etc/diode-edge/config.json", Config(broker.Port, "/etc/diode-edge/good.pw"));
        var (_, good) = await DoctorAsync(root);
        AssertFinding(Check(good, "mqtt"), "ok", $"the broker 127.0.0.1:{broker.Port} accepts the agent's connection (plain TCP, as edge)");

        root.File("/etc/diode-edge/config.json", Config(broker.Port, "/etc/diode-edge/bad.pw"));
        var (code, bad) = await DoctorAsync(root);
        Assert.Equal(1, code);
        AssertFinding(Check(bad, "mqtt"), "fail", "the broker refused the connection", "check mqtt.host and mqtt.port");
        Assert.Contains("the password in mqtt.passwordFile", Check(bad, "mqtt").GetProperty("detail").GetString(), StringComparison.Ordinal);

        await broker.StopAsync();
        root.File("/etc/diode-edge/config.json", Config(broker.Port, "/etc/diode-edge/good.pw"));
        var (_, down) = await DoctorAsync(root);
        AssertFinding(Check(down, "mqtt"), "fail", $"cannot connect to the broker 127.0.0.1:{broker.Port}", "that the broker runs");
    }

    private static JsonElement Check(JsonElement report, string name) =>
        report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("check").GetString() == name);

    [Fact]
    public async Task A_healthy_board_passes_with_exit_code_0_and_a_readable_report()
    {
        using var root = new FakeRoot();
        root.File("/etc/diode-edge/config.json", Config)
            .File("/boot/firmware/config.txt", "dtparam=i2c_arm=on\ndtparam=watchdog=on\n")
            .File("/dev/i2c-1", string.Empty)
            .File("/etc/passwd", "diode-edge:x:998:998::/var/lib/diode-edge:/usr/sbin/nologin\n")
            .File("/etc/group", "gpio:x:997:diode-edge\ni2c:x:996:pi,diode-edge\nwatchdog:x:995:diode-edge\n")
            .File("/dev/watchdog", string.Empty)
            .Process(1, "systemd", "/dev/null")
            .File("/usr/bin/diode", ClientPrinting("v1.18.8"), Executable)
            .File("/run/systemd/timesync/synchronized", string.Empty);
        using var disk = TmpfsMount.Create("600m", root.Full("/var/lib/diode-edge"));

        var (code, report) = await DoctorAsync(root);
        Assert.True(code == 0, report.ToString());
        Assert.All(report.GetProperty("checks").EnumerateArray(), c => Assert.Equal("ok", c.GetProperty("status").GetString()));
        Assert.Contains("Diode Client v1.18.8", report.ToString(), StringComparison.Ordinal);

        var (textCode, text, _) = await AgentProcess.RunAsync(root.Path, null, "doctor", "--root", root.Path, "--config", root.Full("/etc/diode-edge/config.json"));
        Assert.Equal(0, textCode);
        Assert.Contains("ok    watchdog  /dev/watchdog is present and free", text, StringComparison.Ordinal);
        Assert.Contains("All checks passed (0 warning(s)).", text, StringComparison.Ordinal);
    }

    /// <summary>A client that answers <c>-update=false version</c> as v1.18.8 does (to stderr, consoleraw), and records its arguments.</summary>
    private static string ClientPrinting(string version) =>
        "#!/bin/sh\necho \"$@\" > \"$(dirname \"$0\")/diode.args\"\n" +
        $"printf '\\033[34mINFO\\033[0m Diode Client version : {version} 16 Jul 2026                     \\n\\033[34mINFO\\033[0m OS Arch NumCPU       : linux arm64 4\\n' >&2\n";

    [Fact]
    public async Task A_suspended_reset_loop_is_a_warning_naming_the_check_and_how_to_end_it()
    {
        using var root = new FakeRoot();
        var now = DateTimeOffset.UtcNow;
        root.File("/etc/diode-edge/config.json", Config)
            .File("/proc/sys/kernel/random/boot_id", "this-boot\n");
        new Diode.Edge.Watchdog.BootHistoryFile(root.Full("/var/lib/diode-edge/boot-history.json")).Save([
            new("earlier-0", now.AddMinutes(-9), false, "temperature", false),
            new("earlier-1", now.AddMinutes(-6), true, "temperature", false),
            new("earlier-2", now.AddMinutes(-3), true, "temperature", false),
            new("this-boot", now, true, null, false)]);

        var (_, report) = await DoctorAsync(root);

        AssertFinding(Check(report, "resetLoop"), "warn", "resetLoop: suspended (temperature failed on the last 3 boots)", "sudo diode-edge watchdog reset-loop clear");

        root.File("/proc/sys/kernel/random/boot_id", "a-later-boot\n");
        var (_, later) = await DoctorAsync(root);
        AssertFinding(Check(later, "resetLoop"), "ok", "no reset loop (4 boots in the history, 3 began with a watchdog reset)");
    }

    [Fact]
    public async Task An_old_client_the_default_fleet_and_a_fleet_mismatch_are_warnings_and_version_never_self_updates()
    {
        using var root = new FakeRoot();
        root.File("/etc/diode-edge/config.json", """
                { "sensors": [], "watchdog": { "enabled": false },
                  "diode": { "enabled": false, "path": "/usr/bin/diode", "fleet": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "dbPath": "/var/lib/diode-edge/diode/private.db" } }
                """)
            .File("/usr/bin/diode", ClientPrinting("v1.17.2"), Executable);
        Diode.Edge.Agent.Diode.DiodeDatabase.Put(root.Full("/var/lib/diode-edge/diode/private.db"), "fleet", Convert.FromHexString("6000000000000000000000000000000000000000"));

        var (_, report) = await DoctorAsync(root);

        var diode = Check(report, "diode");
        Assert.Equal("warn", diode.GetProperty("status").GetString());
        string detail = diode.GetProperty("detail").GetString()!;
        Assert.Contains("Diode Client v1.17.2 is older than v1.17.6", detail, StringComparison.Ordinal);
        Assert.Contains("holds fleet 0x6000000000000000000000000000000000000000, not diode.fleet 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", detail, StringComparison.Ordinal);
        Assert.Equal($"-dbpath={root.Full("/var/lib/diode-edge/diode/private.db")} -update=false version", File.ReadAllText(root.Full("/usr/bin/diode.args")).Trim());

        root.File("/etc/diode-edge/config.json", """{ "sensors": [], "diode": { "enabled": false, "path": "/usr/bin/diode", "mode": "protected" } }""");
        var (_, unset) = await DoctorAsync(root);
        Assert.Contains("diode.fleet is not set: protected mode with the client's default fleet would admit anyone", Check(unset, "diode").GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_config_names_the_key_and_the_file_and_systemd_holding_the_watchdog_is_a_warning()
    {
        using var root = new FakeRoot();
        root.File("/etc/diode-edge/config.json", """{ "sensors": [ { "type": "bme280", "name": "env", "interval": "0s" } ] }""")
            .File("/dev/watchdog", string.Empty)
            .Process(1, "systemd", "/dev/watchdog0");

        var (code, report) = await DoctorAsync(root);

        Assert.Equal(1, code);
        var checks = report.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("check").GetString()!);
        AssertFinding(checks["config"], "fail", root.Full("/etc/diode-edge/config.json"), "diode-edge config check");
        Assert.Contains("interval", checks["config"].GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertFinding(checks["watchdog"], "warn", "systemd (pid 1)", "RuntimeWatchdogSec=off");
        AssertFinding(checks["groups"], "fail", "service user diode-edge does not exist", "adduser --system");
        AssertFinding(checks["i2c"], "warn", "no boot config.txt found", "raspi-config");
    }

    private static async Task<(int Code, JsonElement Report)> DoctorAsync(FakeRoot root)
    {
        var (code, stdout, stderr) = await AgentProcess.RunAsync(root.Path, null, "doctor", "--json", "--root", root.Path, "--config", root.Full("/etc/diode-edge/config.json"));
        try
        {
            using var json = JsonDocument.Parse(stdout);
            return (code, json.RootElement.Clone());
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"doctor --json printed no JSON (exit {code}): {stdout}\n{stderr}", ex);
        }
    }

    private static void AssertFinding(JsonElement finding, string status, string detail, string? fix = null)
    {
        Assert.True(finding.GetProperty("status").GetString() == status, $"expected {status}: {finding}");
        Assert.Contains(detail, finding.GetProperty("detail").GetString(), StringComparison.Ordinal);
        if (fix is not null)
        {
            Assert.Contains(fix, finding.GetProperty("fix").GetString(), StringComparison.Ordinal);
        }
    }
}
