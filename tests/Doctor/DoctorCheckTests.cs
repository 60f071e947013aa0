using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Doctor;
using Diode.Edge.Agent.Doctor.Checks;
using Diode.Edge.Sensors;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Doctor;

/// <summary>
/// The doctor's checks one at a time, in-process against fake Pi roots (files and symbolic links only; the checks that
/// start the Diode client or need a real disk or broker are in <see cref="DoctorTests"/>, through the real executable).
/// </summary>
[Trait("Tier", Tiers.Unit)]
public sealed class DoctorCheckTests
{
    [Fact]
    public void The_checks_run_in_the_order_the_report_gives_them()
    {
        Assert.Equal(
            ["config", "i2c", "groups", "watchdog", "resetLoop", "diode", "clock", "disk", "mqtt"],
            DoctorChecks.All(null, "/etc/diode-edge/config.json").Select(c => c.Name));
    }

    [Fact]
    public void The_config_check_names_the_first_bad_key_how_many_more_and_the_file()
    {
        Assert.Equal(new DoctorFinding("config", DoctorStatus.Ok, "/etc/c.json is valid"), new ConfigCheck(null, "/etc/c.json").Check());

        var error = new ConfigException([new ConfigError("/etc/c.json", "sensors:0:interval", "must be positive"), new ConfigError("/etc/c.json", "http:port", "out of range")]);
        Assert.Equal(
            new DoctorFinding("config", DoctorStatus.Fail, "/etc/c.json: /etc/c.json: sensors:0:interval: must be positive (and 1 more)", "fix the key named, then: diode-edge config check --config /etc/c.json"),
            new ConfigCheck(error, "/etc/c.json").Check());
    }

    [Fact]
    public void The_i2c_check_fails_only_when_a_sensor_needs_the_bus_and_tells_an_unrebooted_board_apart()
    {
        using var root = new FakeRoot();
        var check = new I2cCheck();

        var off = check.Check(new DoctorContext(root.Path, null));
        Assert.Equal(DoctorStatus.Warn, off.Status);
        Assert.Equal("I2C is not enabled (no boot config.txt found) and /dev/i2c-1 is missing; no configured sensor needs it", off.Detail);

        root.File("/boot/config.txt", "dtparam=i2c_arm=on\n");
        var needed = check.Check(new DoctorContext(root.Path, WithSensor("bme280")));
        Assert.Equal(DoctorStatus.Fail, needed.Status);
        Assert.Equal("dtparam=i2c_arm=on is in /boot/config.txt but /dev/i2c-1 is missing: the board has not been rebooted since, or i2c-dev is not loaded; the config has I2C sensors", needed.Detail);
        Assert.Equal("sudo modprobe i2c-dev, add i2c-dev to /etc/modules, or reboot", needed.Fix);

        root.File("/dev/i2c-1", string.Empty);
        Assert.Equal(new DoctorFinding("i2c", DoctorStatus.Ok, "/dev/i2c-1 is present (dtparam=i2c_arm=on in /boot/config.txt)"), check.Check(new DoctorContext(root.Path, WithSensor("bme280"))));
    }

    [Fact]
    public void The_groups_check_names_missing_groups_and_memberships_with_one_fix()
    {
        using var root = new FakeRoot();
        root.File("/etc/passwd", "diode-edge:x:998:998::/var/lib/diode-edge:/usr/sbin/nologin\n")
            .File("/etc/group", "gpio:x:997:pi\ni2c:x:996:diode-edge\n");

        var finding = new GroupsCheck().Check(new DoctorContext(root.Path, null));

        Assert.Equal(DoctorStatus.Fail, finding.Status);
        Assert.Equal("group watchdog missing; diode-edge is not in gpio", finding.Detail);
        Assert.Equal("sudo groupadd --system watchdog && sudo usermod -aG watchdog,gpio diode-edge && sudo systemctl restart diode-edge", finding.Fix);
    }

    [Fact]
    public void The_watchdog_check_tells_the_agent_systemd_and_other_holders_apart()
    {
        using var root = new FakeRoot();
        var check = new WatchdogCheck();
        Assert.Equal(DoctorStatus.Fail, check.Check(new DoctorContext(root.Path, null)).Status);

        root.File("/dev/watchdog", string.Empty);
        Assert.Equal(new DoctorFinding("watchdog", DoctorStatus.Ok, "/dev/watchdog is present and free"), check.Check(new DoctorContext(root.Path, null)));

        root.Process(412, "diode-edge", "/dev/watchdog0");
        Assert.Equal(new DoctorFinding("watchdog", DoctorStatus.Ok, "/dev/watchdog is held by diode-edge (pid 412): the agent is petting it"), check.Check(new DoctorContext(root.Path, null)));

        var simulated = new AgentOptions();
        simulated.Watchdog.Device = "simulated";
        Assert.Equal(DoctorStatus.Warn, check.Check(new DoctorContext(root.Path, simulated)).Status);
    }

    [Fact]
    public void The_reset_loop_check_is_ok_without_a_boot_history()
    {
        using var root = new FakeRoot();

        Assert.Equal(new DoctorFinding("resetLoop", DoctorStatus.Ok, "no reset loop (no boot history yet)"), new ResetLoopCheck().Check(new DoctorContext(root.Path, null)));
    }

    [Fact]
    public void The_diode_check_warns_when_the_client_is_missing_and_nothing_needs_it()
    {
        using var root = new FakeRoot();

        var finding = new DiodeClientCheck().Check(new DoctorContext(root.Path, null));

        Assert.Equal(DoctorStatus.Warn, finding.Status);
        Assert.Equal("the Diode client (diode) is not installed", finding.Detail);
    }

    [Fact]
    public void The_clock_check_reads_timesyncds_flag()
    {
        using var root = new FakeRoot();
        var check = new ClockCheck();
        Assert.Equal(DoctorStatus.Warn, check.Check(new DoctorContext(root.Path, null)).Status);

        root.File("/run/systemd/timesync/synchronized", string.Empty);
        Assert.Equal(new DoctorFinding("clock", DoctorStatus.Ok, "the clock is synchronised (systemd-timesyncd)"), check.Check(new DoctorContext(root.Path, null)));
    }

    [Fact]
    public async Task The_mqtt_check_is_ok_when_the_output_is_off()
    {
        using var root = new FakeRoot();

        Assert.Equal(new DoctorFinding("mqtt", DoctorStatus.Ok, "the MQTT output is off (mqtt.enabled)"), await new MqttCheck().RunAsync(new DoctorContext(root.Path, null), CancellationToken.None));
    }

    private static AgentOptions WithSensor(string type) => new() { Sensors = [new SensorOptions { Type = type, Name = "env" }] };
}
