namespace Diode.Edge.Agent.Clock;

/// <summary>Where the agent learns whether the system clock is synchronised: the kernel (<see cref="AdjtimexClockSource"/>), or a test's fake.</summary>
internal interface IClockSyncSource
{
    /// <summary>The clock's state now. Called for every frame: must be cheap and must not allocate.</summary>
    ClockSync Read();
}
