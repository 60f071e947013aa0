using System.Device.I2c;
using System.Globalization;

namespace Diode.Edge.Sensors.Devices;

/// <summary>"0x76 on I2C bus 1", for messages.</summary>
internal static class I2cLocation
{
    public static string Of(I2cDevice device) =>
        string.Create(CultureInfo.InvariantCulture, $"0x{device.ConnectionSettings.DeviceAddress:x2} on I2C bus {device.ConnectionSettings.BusId}");
}
