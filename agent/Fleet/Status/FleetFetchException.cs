namespace Diode.Edge.Agent.Fleet.Status;

/// <summary>An answer that was refused (too long, not what was asked); its message says why, for the device's row.</summary>
internal sealed class FleetFetchException : Exception
{
    public FleetFetchException()
    {
    }

    public FleetFetchException(string message)
        : base(message)
    {
    }

    public FleetFetchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
