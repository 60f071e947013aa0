using System.Device.Gpio;
using System.Device.I2c;
using System.Globalization;

namespace Diode.Edge.Sensors.Hardware;

/// <summary>
/// The real buses of a Linux board: <c>/dev/i2c-N</c> through System.Device.I2c and the GPIO chip through
/// System.Device.Gpio. Checks what usually goes wrong on a Pi first, so the message says what to do instead of an errno.
/// </summary>
public sealed class LinuxSensorHardware : ISensorHardware, IDisposable
{
    private readonly string _devRoot;
    private readonly Lock _gpioLock = new();
    private GpioController? _gpio;

    /// <param name="devRoot">Where the device nodes live (<c>/dev</c>).</param>
    public LinuxSensorHardware(string devRoot = "/dev")
    {
        _devRoot = devRoot;
    }

    public IReadOnlyList<int> I2cBuses()
    {
        if (!Directory.Exists(_devRoot))
        {
            return [];
        }

        var buses = new List<int>();
        foreach (string path in Directory.EnumerateFileSystemEntries(_devRoot, "i2c-*"))
        {
            if (int.TryParse(Path.GetFileName(path).AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out int bus))
            {
                buses.Add(bus);
            }
        }

        buses.Sort();
        return buses;
    }

    public I2cDevice OpenI2c(int bus, int address)
    {
        string node = Path.Combine(_devRoot, "i2c-" + bus.ToString(CultureInfo.InvariantCulture));
        if (!File.Exists(node))
        {
            var present = I2cBuses();
            string others = present.Count == 0 ? "no I2C bus is enabled" : "buses present: " + string.Join(", ", present);
            string hint = bus == 1
                ? "enable I2C: sudo raspi-config nonint do_i2c 0 (or dtparam=i2c_arm=on in /boot/firmware/config.txt, or install.sh --enable-i2c) and reboot"
                : $"check the bus number ({others}; list them with: ls /dev/i2c-*)";
            throw new SensorStartException($"{node} does not exist ({others}): {hint}");
        }

        DeviceAccess.CheckReadWrite(node, "i2c");
        var settings = new I2cConnectionSettings(bus, address);
        // The bindings' plain I2C transfers need I2C_FUNC_I2C (every Pi bus has it); an SMBus-only adapter (i2c-stub,
        // a PC's SMBus) gets the same bytes through SMBus transactions instead of EOPNOTSUPP on every read.
        return SmbusI2cDevice.Functionality(node).HasFlag(I2cFunctionality.PlainI2c)
            ? I2cDevice.Create(settings)
            : SmbusI2cDevice.Open(node, settings);
    }

    public GpioController Gpio()
    {
        lock (_gpioLock)
        {
            if (_gpio is not null)
            {
                return _gpio;
            }

            string chip = Path.Combine(_devRoot, "gpiochip0");
            if (!File.Exists(chip))
            {
                throw new SensorStartException($"{chip} does not exist: this board has no GPIO character device (a Raspberry Pi has one; in a container pass --device {chip})");
            }

            DeviceAccess.CheckReadWrite(chip, "gpio");
            try
            {
                _gpio = new GpioController();
            }
            catch (Exception ex) when (ex is DllNotFoundException or PlatformNotSupportedException or IOException or InvalidOperationException)
            {
                throw new SensorStartException($"cannot open the GPIO controller ({ex.Message}): install libgpiod (sudo apt install libgpiod2)", ex);
            }

            return _gpio;
        }
    }

    public void Dispose()
    {
        lock (_gpioLock)
        {
            _gpio?.Dispose();
            _gpio = null;
        }
    }
}
