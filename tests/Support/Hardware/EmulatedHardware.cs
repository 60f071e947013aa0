using System.Device.Gpio;
using System.Device.I2c;
using Diode.Edge.Sensors;
using Diode.Edge.Sensors.Hardware;

namespace Diode.Edge.Tests.Support.Hardware;

/// <summary>Emulated buses for the agent's sensors: I2C chips planted at (bus, address), and one emulated GPIO chip.</summary>
public sealed class EmulatedHardware : ISensorHardware
{
    private readonly Dictionary<int, Dictionary<int, EmulatedI2cChip>> _buses = [];
    private readonly Lazy<GpioController> _gpio;

    public EmulatedHardware(params int[] buses)
    {
        foreach (int bus in buses)
        {
            _buses[bus] = [];
        }

        _gpio = new Lazy<GpioController>(() => new GpioController(GpioDriver));
    }

    public EmulatedGpioDriver GpioDriver { get; } = new();

    public T Plant<T>(int bus, int address, T chip)
        where T : EmulatedI2cChip
    {
        if (!_buses.TryGetValue(bus, out var chips))
        {
            _buses[bus] = chips = [];
        }

        chips[address] = chip;
        return chip;
    }

    public IReadOnlyList<int> I2cBuses() => [.. _buses.Keys.Order()];

    public I2cDevice OpenI2c(int bus, int address)
    {
        if (!_buses.TryGetValue(bus, out var chips))
        {
            throw new SensorStartException($"/dev/i2c-{bus} does not exist (emulated buses: {string.Join(", ", _buses.Keys)})");
        }

        return new EmulatedI2cDevice(new I2cConnectionSettings(bus, address), chips.GetValueOrDefault(address));
    }

    public GpioController Gpio() => _gpio.Value;
}
