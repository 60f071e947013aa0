using Iot.Device.OneWire;

namespace Diode.Edge.Sensors.Devices;

/// <summary>
/// Maxim DS18B20 1-Wire thermometers through the kernel's w1 driver and <see cref="OneWireThermometerDevice"/>: one
/// quantity per probe, the probes named in config (<c>probes</c>: quantity → 1-Wire id) or all thermometers found.
/// </summary>
public sealed class Ds18b20Sensor(IReadOnlyDictionary<string, string> probes, string name, TimeProvider timeProvider)
    : DeviceSensor(name, "the 1-Wire bus", Publishes(probes), timeProvider)
{
    private (Quantity Quantity, OneWireThermometerDevice Device)[] _probes = [];

    /// <summary>The quantities known from config before start (empty when the probes are discovered).</summary>
    public static IReadOnlyList<Quantity> Publishes(IReadOnlyDictionary<string, string> probes) =>
        [.. probes.Keys.Order(StringComparer.Ordinal).Select(q => new Quantity(q, "Cel"))];

    public override IReadOnlyList<Quantity> Quantities => [.. _probes.Select(p => p.Quantity)];

    protected override void Open()
    {
        List<(string BusId, string DevId)> found;
        try
        {
            found = [.. OneWireThermometerDevice.EnumerateDevices().Select(d => (d.BusId, d.DeviceId))];
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or FileNotFoundException or UnauthorizedAccessException)
        {
            throw new SensorStartException("1-Wire is not enabled (no /sys/bus/w1/devices): add dtoverlay=w1-gpio (data on GPIO4) to /boot/firmware/config.txt and reboot", ex);
        }

        if (found.Count == 0)
        {
            throw new SensorStartException("no DS18B20 found on the 1-Wire bus: check the data wire (GPIO4), the 4.7 kΩ pull-up to 3V3 and the power");
        }

        if (probes.Count == 0)
        {
            _probes = [.. found.Select(d => (new Quantity(found.Count == 1 ? "temperature" : "temperature_" + d.DevId.Replace('-', '_'), "Cel"), new OneWireThermometerDevice(d.BusId, d.DevId)))];
            return;
        }

        var chosen = new List<(Quantity, OneWireThermometerDevice)>();
        foreach (var (quantity, id) in probes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var match = found.FirstOrDefault(d => string.Equals(d.DevId, id, StringComparison.OrdinalIgnoreCase));
            if (match.DevId is null)
            {
                throw new SensorStartException($"probe {id} ({quantity}) is not on the 1-Wire bus; found: {string.Join(", ", found.Select(d => d.DevId))}");
            }

            chosen.Add((new Quantity(quantity, "Cel"), new OneWireThermometerDevice(match.BusId, match.DevId)));
        }

        _probes = [.. chosen];
    }

    protected override Measurement[] Read()
    {
        var values = new Measurement[_probes.Length];
        for (int i = 0; i < values.Length; i++)
        {
            var (quantity, device) = _probes[i];
            try
            {
                values[i] = new Measurement(quantity, Math.Round(device.ReadTemperature().DegreesCelsius, 3));
            }
            catch (InvalidOperationException ex)
            {
                throw new IOException($"DS18B20 {device.DeviceId}: {ex.Message} (the kernel reported a CRC error or no answer)", ex);
            }
        }

        return values;
    }
}
