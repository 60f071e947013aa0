using Diode.Edge.Agent.Configuration;
using Diode.Edge.Agent.Doctor.Checks;

namespace Diode.Edge.Agent.Doctor;

/// <summary>
/// What usually goes wrong on a Pi, checked the way a person would (boot config, /dev, /etc/group, /proc, the Diode
/// client's own version output, the clock's sync flag, free space, the MQTT broker), each with the fix: the list of
/// checks, in the order <c>diode-edge doctor</c> reports them (one type per check, in <c>Checks/</c>), and their runner.
/// </summary>
internal static class DoctorChecks
{
    /// <summary>Every check, in order; <paramref name="configError"/> is why the config at <paramref name="configPath"/> did not load (null when it did).</summary>
    public static IReadOnlyList<IDoctorCheck> All(ConfigException? configError, string configPath) =>
    [
        new ConfigCheck(configError, configPath),
        new I2cCheck(),
        new GroupsCheck(),
        new WatchdogCheck(),
        new ResetLoopCheck(),
        new DiodeClientCheck(),
        new ClockCheck(),
        new DiskCheck(),
        new MqttCheck(),
    ];

    /// <summary>Runs every check, one after the other, and returns their findings in the same order.</summary>
    public static async Task<IReadOnlyList<DoctorFinding>> RunAsync(DoctorContext context, ConfigException? configError, string configPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var findings = new List<DoctorFinding>();
        foreach (var check in All(configError, configPath))
        {
            findings.Add(await check.RunAsync(context, cancellationToken).ConfigureAwait(false));
        }

        return findings;
    }
}
