using System.ComponentModel;

namespace Diode.Edge.Watchdog;

/// <summary>
/// The <c>watchdog.resetLoop</c> section: when the last <see cref="Boots"/> boots within <see cref="Window"/> all ended
/// in a watchdog reset caused by the same check (a critical sensor, a system check, never the agent's own liveness),
/// that check no longer stops the petting on this boot, so a Pi with a dead sensor stays up and reachable.
/// </summary>
public sealed class ResetLoopOptions
{
    /// <summary>How many watchdog resets in a row by the same check make a loop; 0 turns the guard off.</summary>
    [Description("How many watchdog resets in a row by the same check make a loop (at most 15); 0 turns the guard off.")]
    public int Boots { get; set; } = 3;

    /// <summary>The resets must all fall within this span (from the first of them to this boot).</summary>
    [Description("The resets must all fall within this span, from the first of them to this boot (1m to 7d).")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);
}
