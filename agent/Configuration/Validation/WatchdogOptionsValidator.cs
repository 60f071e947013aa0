using Diode.Edge.Watchdog;
using Microsoft.Extensions.Options;

namespace Diode.Edge.Agent.Configuration.Validation;

/// <summary>
/// The rules of the <c>watchdog</c> section. <see cref="WatchdogOptions"/> lives in the watchdog library, which does not
/// know the agent's config keys or duration format, so its rules are written here and run by the generated
/// <see cref="AgentOptionsValidator"/> for that member.
/// </summary>
internal sealed class WatchdogOptionsValidator : IValidateOptions<WatchdogOptions>
{
    public ValidateOptionsResult Validate(string? name, WatchdogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new ValidateOptionsResultBuilder();
        string at = ConfigRule.KeyOf(name);
        void Error(string key, string message) => results.AddResult(ConfigRule.Error($"{at}:{key}", message));

        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > TimeSpan.FromHours(1))
        {
            Error("timeout", $"{Duration.Format(options.Timeout)} is out of range (1s to 1h)");
        }

        if (options.PetInterval <= TimeSpan.Zero || options.PetInterval >= options.Timeout)
        {
            Error("petInterval", $"{Duration.Format(options.PetInterval)} must be above 0 and below watchdog.timeout ({Duration.Format(options.Timeout)})");
        }

        if (options.Grace < TimeSpan.Zero)
        {
            Error("grace", "must not be negative");
        }

        if (options.StartupGrace < TimeSpan.Zero || options.StartupGrace > TimeSpan.FromMinutes(30))
        {
            Error("startupGrace", $"{Duration.Format(options.StartupGrace)} is out of range (0s to 30m)");
        }

        if (string.IsNullOrWhiteSpace(options.Device) || (options.Device != "simulated" && !options.Device.StartsWith('/')))
        {
            Error("device", $"\"{options.Device}\" is not a device path (e.g. /dev/watchdog) or \"simulated\"");
        }

        const int kept = BootHistoryFile.Capacity;
        if (options.ResetLoop.Boots is < 0 or >= kept)
        {
            Error("resetLoop:boots", $"{options.ResetLoop.Boots} is out of range (0 turns the guard off, at most {kept - 1}: the boot history keeps {kept} boots)");
        }

        if (options.ResetLoop.Window < TimeSpan.FromMinutes(1) || options.ResetLoop.Window > TimeSpan.FromDays(7))
        {
            Error("resetLoop:window", $"{Duration.Format(options.ResetLoop.Window)} is out of range (1m to 7d)");
        }

        var checks = options.Checks;
        if (checks.Interval < TimeSpan.FromMilliseconds(100))
        {
            Error("checks:interval", $"{Duration.Format(checks.Interval)} is too short (at least 100ms)");
        }

        foreach (var (key, value) in new[] { ("maxLoad1", checks.MaxLoad1), ("maxLoad5", checks.MaxLoad5), ("maxLoad15", checks.MaxLoad15), ("maxTemperature", checks.MaxTemperature) })
        {
            if (value < 0)
            {
                Error("checks:" + key, $"{value} must be 0 (off) or more");
            }
        }

        if (checks.MinFreeMemory < 0)
        {
            Error("checks:minFreeMemory", "must be 0 (off) or more");
        }

        if (checks.TestCommand is { Length: 0 })
        {
            Error("checks:testCommand", "is empty; leave it out (or null) to turn the check off");
        }

        return results.Build();
    }
}
