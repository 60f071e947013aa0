namespace Diode.Edge.Sensors.Hardware;

/// <summary>A read was refused because the sensor's previous device call is still hanging.</summary>
public sealed class SensorBusyException : IOException
{
    public SensorBusyException()
    {
    }

    public SensorBusyException(string message)
        : base(message)
    {
    }

    public SensorBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
