using System.Buffers.Binary;
using System.Device.I2c;
using Diode.Edge.Sensors.Scan;

namespace Diode.Edge.Sensors.Devices;

/// <summary>The <c>ads1115</c> type: a TI ADS1115 ADC read by <see cref="Ads1115Sensor"/>, one quantity per configured channel.</summary>
internal static class Ads1115Descriptor
{
    public static SensorDescriptor Instance { get; } = new()
    {
        Type = "ads1115",
        Bus = SensorBus.I2c,
        DefaultAddress = 0x48,
        Quantities = options => [.. Ads1115Channel.From(options.Channels).Select(c => c.Quantity)],
        Create = c => new Ads1115Sensor(c.OpenI2c(), Ads1115Channel.From(c.Options.Channels), c.Name, c.Time),
        Signature = I2cSignature.Probed([0x48, 0x49, 0x4A, 0x4B], Identify),
        Keys = ["channels"],
        Rules = Check,
    };

    /// <summary>The threshold registers hold 0x8000/0x7FFF after reset; other values mean a configured chip, or another one.</summary>
    private static I2cIdentification Identify(I2cDevice device)
    {
        Span<byte> value = stackalloc byte[2];
        device.WriteRead([0x02], value);
        ushort low = BinaryPrimitives.ReadUInt16BigEndian(value);
        device.WriteRead([0x03], value);
        ushort high = BinaryPrimitives.ReadUInt16BigEndian(value);
        bool thresholdsAtReset = low == 0x8000 && high == 0x7FFF;
        return thresholdsAtReset
            ? new I2cIdentification(Recognised: true, "Lo/Hi_thresh = 0x8000/0x7FFF (reset values)", Guess: false)
            : new I2cIdentification(Recognised: true, "acknowledges at an ADS1115 address (thresholds changed, so not confirmed)", Guess: true);
    }

    /// <summary>Each channel: a known input, a full-scale range the chip has, a unique quantity name.</summary>
    private static void Check(SensorOptions sensor, SensorOptionsProblems problems)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int c = 0; c < sensor.Channels.Count; c++)
        {
            var channel = sensor.Channels[c];
            string key = $"channels:{c}";
            if (Ads1115Channel.ParseInput(channel.Input) is null)
            {
                problems.Error(key + ":input", $"\"{channel.Input}\" is not an ADS1115 input (A0, A1, A2, A3, or a pair A0-A1, A0-A3, A1-A3, A2-A3)");
                continue;
            }

            if (Ads1115Channel.ParseRange(channel.Range) is null)
            {
                problems.Error(key + ":range", $"{channel.Range} is not an ADS1115 full-scale range in volts (6.144, 4.096, 2.048, 1.024, 0.512, 0.256)");
            }

            string name = channel.Name ?? "voltage_" + channel.Input!.ToLowerInvariant().Replace('-', '_');
            if (!QuantityName.IsValid(name))
            {
                problems.Error(key + ":name", $"\"{name}\" is not a quantity name (snake_case: lower-case letters, digits, '_')");
            }
            else if (!names.Add(name))
            {
                problems.Error(key + ":name", $"\"{name}\" is already the name of another channel");
            }
        }
    }
}
