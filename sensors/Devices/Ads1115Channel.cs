using Iot.Device.Ads1115;

namespace Diode.Edge.Sensors.Devices;

/// <summary>An ADS1115 input as the binding names it, with its range and the quantity it is published as.</summary>
public sealed record Ads1115Channel(InputMultiplexer Input, MeasuringRange Range, Quantity Quantity)
{
    /// <summary>The channels of a config entry (A0 at ±4.096 V when none is given); throws <see cref="ArgumentException"/> naming the bad value.</summary>
    public static IReadOnlyList<Ads1115Channel> From(IReadOnlyList<AdcChannelOptions> channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Count == 0)
        {
            return [new Ads1115Channel(InputMultiplexer.AIN0, MeasuringRange.FS4096, new Quantity("voltage_a0", "V"))];
        }

        var result = new Ads1115Channel[channels.Count];
        for (int i = 0; i < channels.Count; i++)
        {
            var input = ParseInput(channels[i].Input) ?? throw new ArgumentException($"channels:{i}:input: \"{channels[i].Input}\" is not an ADS1115 input (A0, A1, A2, A3, A0-A1, A0-A3, A1-A3, A2-A3)");
            var range = ParseRange(channels[i].Range) ?? throw new ArgumentException($"channels:{i}:range: {channels[i].Range} is not an ADS1115 range (6.144, 4.096, 2.048, 1.024, 0.512, 0.256 V)");
            string name = channels[i].Name ?? "voltage_" + channels[i].Input!.ToLowerInvariant().Replace('-', '_');
            result[i] = new Ads1115Channel(input, range, new Quantity(name, "V"));
        }

        return result;
    }

    public static InputMultiplexer? ParseInput(string? input) => input?.ToUpperInvariant() switch
    {
        "A0" => InputMultiplexer.AIN0,
        "A1" => InputMultiplexer.AIN1,
        "A2" => InputMultiplexer.AIN2,
        "A3" => InputMultiplexer.AIN3,
        "A0-A1" => InputMultiplexer.AIN0_AIN1,
        "A0-A3" => InputMultiplexer.AIN0_AIN3,
        "A1-A3" => InputMultiplexer.AIN1_AIN3,
        "A2-A3" => InputMultiplexer.AIN2_AIN3,
        _ => null,
    };

    public static MeasuringRange? ParseRange(double volts) => volts switch
    {
        6.144 => MeasuringRange.FS6144,
        4.096 => MeasuringRange.FS4096,
        2.048 => MeasuringRange.FS2048,
        1.024 => MeasuringRange.FS1024,
        0.512 => MeasuringRange.FS0512,
        0.256 => MeasuringRange.FS0256,
        _ => null,
    };
}
