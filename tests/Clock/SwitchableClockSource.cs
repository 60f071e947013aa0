using Diode.Edge.Agent.Clock;

namespace Diode.Edge.Tests.Clock;

/// <summary>A clock whose synchronisation the test sets: unsynchronised (as a Pi boots), then synchronised (NTP answered).</summary>
internal sealed class SwitchableClockSource : IClockSyncSource
{
    private volatile bool _synchronized;

    public bool Synchronized
    {
        get => _synchronized;
        set => _synchronized = value;
    }

    // What adjtimex says before and after an NTP daemon disciplines the clock.
    public ClockSync Read() => _synchronized
        ? ClockSync.FromKernel(0, 0x2001, 12_500)
        : ClockSync.FromKernel(5, ClockSync.StaUnsync, ClockSync.MaxErrorLimitMicroseconds);
}
