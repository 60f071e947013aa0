namespace Diode.Edge.Sensors.Hardware;

/// <summary>Turns the errno text of an I2C transfer into what a Pi owner should do about it.</summary>
public static class I2cErrors
{
    public static string Explain(IOException error, string location)
    {
        ArgumentNullException.ThrowIfNull(error);
        string message = error.Message;
        if (message.Contains("Remote I/O error", StringComparison.Ordinal) || message.Contains("Error 121 ", StringComparison.Ordinal) ||
            message.Contains("No such device or address", StringComparison.Ordinal) || message.Contains("Error 6 ", StringComparison.Ordinal))
        {
            return $"no device answers at {location} ({message.TrimEnd('.')}): check the wiring (SDA, SCL, 3V3, GND) and the address; `diode-edge sensors scan` lists the chips that answer";
        }

        if (message.Contains("Connection timed out", StringComparison.Ordinal) || message.Contains("Error 110 ", StringComparison.Ordinal))
        {
            return $"the I2C bus timed out talking to {location} ({message.TrimEnd('.')}): a device is holding the bus; check for a loose wire or a missing pull-up, then power-cycle the sensor";
        }

        if (message.StartsWith("Unable to find a chip with id", StringComparison.Ordinal))
        {
            return $"the chip at {location} is not the configured type ({message}); `diode-edge sensors scan` tells which chip it is";
        }

        return $"{location}: {message}";
    }
}
