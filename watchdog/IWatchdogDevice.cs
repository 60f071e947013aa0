namespace Diode.Edge.Watchdog;

/// <summary>
/// An open watchdog device. Disposing it without <see cref="MagicClose"/> leaves the timer running (what a crash does);
/// <see cref="MagicClose"/> first, on an orderly stop only, disarms it where the driver allows.
/// </summary>
public interface IWatchdogDevice : IDisposable
{
    WatchdogInfo Info { get; }

    /// <summary>Programs the timeout; returns the one the driver actually set.</summary>
    TimeSpan SetTimeout(TimeSpan timeout);

    TimeSpan GetTimeout();

    /// <summary>Time until the device resets the board, where the driver can tell.</summary>
    TimeSpan? GetTimeLeft();

    void Keepalive();

    /// <summary>Writes the magic character 'V', so the close that follows disarms the timer.</summary>
    void MagicClose();
}
