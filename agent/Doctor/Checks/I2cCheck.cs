using System.Text.RegularExpressions;
using Diode.Edge.Sensors;

namespace Diode.Edge.Agent.Doctor.Checks;

/// <summary><c>i2c</c>: <c>/dev/i2c-1</c>, and <c>dtparam=i2c_arm=on</c> in the boot config; a failure only when a configured sensor needs the bus.</summary>
internal sealed partial class I2cCheck : IDoctorCheck
{
    private static readonly string[] BootConfigs = ["/boot/firmware/config.txt", "/boot/config.txt"];

    public string Name => "i2c";

    public ValueTask<DoctorFinding> RunAsync(DoctorContext context, CancellationToken cancellationToken) => ValueTask.FromResult(Check(context));

    public DoctorFinding Check(DoctorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        bool needed = context.Options?.Sensors.Any(s => SensorCatalog.Find(s.Type)?.Bus == SensorBus.I2c) ?? false;
        var bootConfig = BootConfig(context);
        bool enabled = bootConfig is { } file && I2cOn().IsMatch(File.ReadAllText(file));
        bool device = File.Exists(context.Path("/dev/i2c-1")) || Directory.Exists(context.Path("/dev/i2c-1"));
        const string fix = "sudo raspi-config nonint do_i2c 0 (or add dtparam=i2c_arm=on to the boot config, or install.sh --enable-i2c), then reboot";
        if (device)
        {
            return new(Name, DoctorStatus.Ok, "/dev/i2c-1 is present" + (bootConfig is null ? string.Empty : enabled ? $" (dtparam=i2c_arm=on in {Shown(context, bootConfig)})" : string.Empty));
        }

        string detail = enabled
            ? $"dtparam=i2c_arm=on is in {Shown(context, bootConfig!)} but /dev/i2c-1 is missing: the board has not been rebooted since, or i2c-dev is not loaded"
            : $"I2C is not enabled ({(bootConfig is null ? "no boot config.txt found" : $"no dtparam=i2c_arm=on in {Shown(context, bootConfig)}")}) and /dev/i2c-1 is missing";
        string fixNow = enabled ? "sudo modprobe i2c-dev, add i2c-dev to /etc/modules, or reboot" : fix;
        return new(Name, needed ? DoctorStatus.Fail : DoctorStatus.Warn, detail + (needed ? "; the config has I2C sensors" : "; no configured sensor needs it"), fixNow);
    }

    private static string? BootConfig(DoctorContext context) => BootConfigs.Select(context.Path).FirstOrDefault(File.Exists);

    private static string Shown(DoctorContext context, string path) => context.Root == "/" ? path : path[context.Root.TrimEnd('/').Length..];

    [GeneratedRegex(@"^\s*dtparam=(i2c_arm|i2c)=on\b", RegexOptions.Multiline)]
    private static partial Regex I2cOn();
}
