namespace Diode.Edge.Sensors;

/// <summary>A sensor could not start; the message says what to do about it (shown in /health and the log).</summary>
public sealed class SensorStartException : Exception
{
    public SensorStartException()
    {
    }

    public SensorStartException(string message)
        : base(message)
    {
    }

    public SensorStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
