using System.Globalization;
using System.Text.RegularExpressions;
using Diode.Edge.Sensors;
using Diode.Edge.Sensors.Reporting;
using Microsoft.Extensions.Options;

namespace Diode.Edge.Agent.Configuration.Validation;

/// <summary>
/// The rules of one <c>sensors[]</c> entry: the keys its type needs or understands, ranges, and its reporting rules.
/// <see cref="SensorOptions"/> lives in the sensors library, which does not know the agent's config keys or duration
/// format, so its rules are written here and run by the generated <see cref="AgentOptionsValidator"/> for each entry;
/// a type's own rules come from its <see cref="SensorDescriptor"/>. Rules across entries (unique names) are the root's.
/// </summary>
internal sealed partial class SensorOptionsValidator : IValidateOptions<SensorOptions>
{
    /// <summary>A stream id: lower-case letters, digits, '-' and '_', at most 64.</summary>
    public static bool IsStreamId(string name) => StreamIdPattern().IsMatch(name);

    public ValidateOptionsResult Validate(string? name, SensorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new ValidateOptionsResultBuilder();
        string at = ConfigRule.KeyOf(name);
        void Error(string key, string message) => results.AddResult(ConfigRule.Error(key, message));
        void Warning(string key, string message) => results.AddResult(ConfigRule.Warning(key, message));
        var sensor = options;

        if (string.IsNullOrWhiteSpace(sensor.Type))
        {
            Error(at + ":type", $"required value is missing (one of: {string.Join(", ", SensorFactory.KnownTypes)})");
        }
        else if (!SensorFactory.KnownTypes.Contains(sensor.Type))
        {
            Error(at + ":type", $"\"{sensor.Type}\" is not a known sensor type (one of: {string.Join(", ", SensorFactory.KnownTypes)})");
        }

        if (string.IsNullOrWhiteSpace(sensor.Name))
        {
            Error(at + ":name", "required value is missing (the stream id, e.g. \"env\")");
        }
        else if (!IsStreamId(sensor.Name))
        {
            Error(at + ":name", $"\"{sensor.Name}\" is not a valid stream id (lower-case letters, digits, '-' and '_', at most 64)");
        }

        if (sensor.Interval < TimeSpan.FromMilliseconds(10) || sensor.Interval > TimeSpan.FromDays(1))
        {
            Error(at + ":interval", $"{Duration.Format(sensor.Interval)} is out of range (10ms to 1d)");
        }

        if (sensor.Address is not null && !SensorFactory.TryParseAddress(sensor.Address, out _))
        {
            Error(at + ":address", $"\"{sensor.Address}\" is not an I2C address (0x03 to 0x77, e.g. \"0x76\")");
        }

        if (sensor.Bus is < 0)
        {
            Error(at + ":bus", $"{sensor.Bus} is not an I2C bus number (0, 1, ...)");
        }

        if (sensor.FailEvery < 0)
        {
            Error(at + ":failEvery", $"{sensor.FailEvery} must be 0 (never) or more");
        }

        if (sensor.Pin is < 0 or > 53)
        {
            Error(at + ":pin", $"{sensor.Pin} is not a GPIO pin (BCM numbering, 0-53)");
        }

        ValidateSensorType(sensor, at, Error, Warning);
        return results.Build();
    }

    /// <summary>The keys a given sensor type needs or understands.</summary>
    private static void ValidateSensorType(SensorOptions sensor, string at, Action<string, string> error, Action<string, string> warning)
    {
        string? type = sensor.Type;
        if (SensorCatalog.Find(type) is not { } descriptor)
        {
            return;
        }

        if (descriptor.Bus == SensorBus.Gpio && sensor.Pin is null)
        {
            error(at + ":pin", $"required for a {type} sensor: the BCM GPIO number of its data pin (e.g. 4 for physical pin 7)");
        }

        if (descriptor.Bus != SensorBus.I2c && (sensor.Bus is not null || sensor.Address is not null))
        {
            warning(at + (sensor.Address is not null ? ":address" : ":bus"), $"ignored: a {type} sensor is not on an I2C bus");
        }

        if (!descriptor.Keys.Contains("channels") && sensor.Channels.Count > 0)
        {
            warning(at + ":channels", $"ignored: only an {string.Join(" or an ", SensorCatalog.All.Where(d => d.Keys.Contains("channels")).Select(d => d.Type))} sensor has channels");
        }

        descriptor.Rules?.Invoke(sensor, new SensorOptionsProblems(at, error, warning, Duration.Format));

        if (sensor.Timeout is { } timeout && (timeout < TimeSpan.FromMilliseconds(10) || timeout > TimeSpan.FromMinutes(1)))
        {
            error(at + ":timeout", $"{Duration.Format(timeout)} is out of range (10ms to 1m)");
        }

        if (sensor.BreakDuration < TimeSpan.FromSeconds(1) || sensor.BreakDuration > TimeSpan.FromDays(1))
        {
            error(at + ":breakDuration", $"{Duration.Format(sensor.BreakDuration)} is out of range (1s to 1d)");
        }

        var quantities = SensorFactory.QuantitiesOf(sensor);
        if (quantities.Count > 0)
        {
            foreach (string quantity in sensor.Offsets.Keys)
            {
                if (!quantities.Any(q => q.Name == quantity))
                {
                    error($"{at}:offsets:{quantity}", $"a {type} sensor has no quantity \"{quantity}\" (it publishes: {string.Join(", ", quantities.Select(q => q.Name))})");
                }
            }
        }

        if (sensor.Report is { } report)
        {
            ValidateReport(report, sensor, at + ":report", error, warning);
            foreach (var (quantity, rules) in report.Quantities)
            {
                string key = $"{at}:report:quantities:{quantity}";
                if (quantities.Count > 0 && !quantities.Any(q => q.Name == quantity))
                {
                    error(key, $"a {type} sensor has no quantity \"{quantity}\" (it publishes: {string.Join(", ", quantities.Select(q => q.Name))})");
                }

                ValidateReport(rules, sensor, key, error, warning);
                if ((rules.MinInterval ?? report.MinInterval) is { } min && (rules.Heartbeat ?? report.Heartbeat) is { } beat && beat < min
                    && (rules.MinInterval is null) != (rules.Heartbeat is null))
                {
                    error(key + (rules.Heartbeat is not null ? ":heartbeat" : ":minInterval"), $"the heartbeat ({Duration.Format(beat)}) is shorter than minInterval ({Duration.Format(min)}): a frame cannot come both at least and at most that often");
                }
            }
        }
    }

    /// <summary>The reporting rules of a stream or of one quantity (<c>sensors[].report</c>, <c>…report.quantities.&lt;name&gt;</c>).</summary>
    private static void ValidateReport(ReportRules rules, SensorOptions sensor, string at, Action<string, string> error, Action<string, string> warning)
    {
        if (rules.MinInterval is { } min && (min <= TimeSpan.Zero || min > TimeSpan.FromDays(1)))
        {
            error(at + ":minInterval", $"{Duration.Format(min)} is out of range (above 0, at most 1d)");
        }

        if (rules.Heartbeat is { } heartbeat)
        {
            if (heartbeat <= TimeSpan.Zero || heartbeat > TimeSpan.FromDays(7))
            {
                error(at + ":heartbeat", $"{Duration.Format(heartbeat)} is out of range (above 0, at most 7d)");
            }
            else if (rules.MinInterval is { } throttle && heartbeat < throttle)
            {
                error(at + ":heartbeat", $"the heartbeat ({Duration.Format(heartbeat)}) is shorter than minInterval ({Duration.Format(throttle)}): a frame cannot come both at least and at most that often");
            }
            else if (heartbeat < sensor.Interval)
            {
                warning(at + ":heartbeat", $"{Duration.Format(heartbeat)} is shorter than the sensor's interval ({Duration.Format(sensor.Interval)}): every sample is published");
            }
        }

        if (rules.Deadband is { } deadband && !Deadband.TryParse(deadband, out _))
        {
            error(at + ":deadband", $"\"{deadband}\" is not a deadband (a change in the quantity's unit, e.g. 0.2, or a percentage of the last value, e.g. \"5%\"; not negative)");
        }

        if (rules.Median is { } median && median is < 1 or > 99)
        {
            error(at + ":median", $"{median} is out of range (1 to 99 samples)");
        }

        if (rules.Average is { } average)
        {
            if (average.Samples is not null && average.Alpha is not null)
            {
                error(at + ":average", "set either samples (a moving average) or alpha (an exponential one), not both");
            }
            else if (average.Samples is null && average.Alpha is null)
            {
                error(at + ":average", "set samples (a moving average over the last N, e.g. { \"samples\": 5 }) or alpha (an exponential one, e.g. { \"alpha\": 0.2 })");
            }
            else if (average.Samples is { } samples && samples is < 1 or > 1000)
            {
                error(at + ":average:samples", $"{samples} is out of range (1 to 1000)");
            }
            else if (average.Alpha is { } alpha && !(alpha > 0 && alpha <= 1))
            {
                error(at + ":average:alpha", $"{alpha.ToString(CultureInfo.InvariantCulture)} is out of range (above 0, at most 1: the weight of each new sample)");
            }
        }

        if (rules.Range is { } range)
        {
            if (range.Min is null && range.Max is null)
            {
                error(at + ":range", "set min, max or both (e.g. { \"min\": 0, \"max\": 100 })");
            }
            else if (range.Min is { } low && range.Max is { } high && low >= high)
            {
                error(at + ":range", $"min ({low.ToString(CultureInfo.InvariantCulture)}) must be below max ({high.ToString(CultureInfo.InvariantCulture)})");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex StreamIdPattern();
}
