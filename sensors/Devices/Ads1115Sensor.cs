using System.Device.I2c;
using Iot.Device.Ads1115;

namespace Diode.Edge.Sensors.Devices;

/// <summary>TI ADS1115 16-bit ADC through <see cref="Ads1115"/>: each configured input is one single-shot conversion per reading, published as a voltage.</summary>
public sealed class Ads1115Sensor(I2cDevice device, IReadOnlyList<Ads1115Channel> channels, string name, TimeProvider timeProvider)
    : DeviceSensor(name, I2cLocation.Of(device), [.. channels.Select(c => c.Quantity)], timeProvider, device)
{
    private Ads1115? _binding;

    protected override void Open() =>
        _binding = Own(new Ads1115(device, channels[0].Input, channels[0].Range, DataRate.SPS128, DeviceMode.PowerDown));

    protected override Measurement[] Read()
    {
        var values = new Measurement[channels.Count];
        for (int i = 0; i < values.Length; i++)
        {
            var channel = channels[i];
            short raw = _binding!.ReadRaw(channel.Input, channel.Range, DataRate.SPS128);
            values[i] = new Measurement(channel.Quantity, Math.Round(_binding.RawToVoltage(raw).Volts, 6));
        }

        return values;
    }
}
