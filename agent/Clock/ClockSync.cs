namespace Diode.Edge.Agent.Clock;

/// <summary>
/// What the kernel says about the system clock (<c>adjtimex</c>, read only): synchronised when the call succeeds and its
/// maximum error is below 16 s, which is exactly how <c>timedatectl</c> ("System clock synchronized") decides; the
/// STA_UNSYNC bit and the clock state (TIME_ERROR) are kept for /health, but not used, as systemd does not: an NTP
/// daemon may leave STA_UNSYNC set only to keep the kernel from writing the RTC.
/// </summary>
/// <param name="KernelState">adjtimex's return value: 0 TIME_OK, 1 TIME_INS, 2 TIME_DEL, 3 TIME_OOP, 4 TIME_WAIT, 5 TIME_ERROR; -1 when the call failed.</param>
/// <param name="Status">The STA_* bits.</param>
/// <param name="MaxErrorMicroseconds">The kernel's maximum error estimate; 16,000,000 (the ceiling) when nothing disciplines the clock.</param>
internal readonly record struct ClockSync(bool Synchronized, int KernelState, int Status, long MaxErrorMicroseconds)
{
    /// <summary>STA_UNSYNC: the clock is not synchronised (linux/timex.h).</summary>
    public const int StaUnsync = 0x0040;

    /// <summary>timedatectl's limit on the maximum error of a synchronised clock.</summary>
    public const long MaxErrorLimitMicroseconds = 16_000_000;

    /// <summary>The payload's word for it: <c>synced</c> or <c>unsynced</c>.</summary>
    public string Word => Synchronized ? "synced" : "unsynced";

    public string KernelStateName => KernelState switch
    {
        0 => "TIME_OK",
        1 => "TIME_INS",
        2 => "TIME_DEL",
        3 => "TIME_OOP",
        4 => "TIME_WAIT",
        5 => "TIME_ERROR",
        _ => "adjtimex failed",
    };

    /// <summary>Decides as timedatectl does, from what adjtimex returned.</summary>
    public static ClockSync FromKernel(int kernelState, int status, long maxErrorMicroseconds) =>
        new(kernelState >= 0 && maxErrorMicroseconds < MaxErrorLimitMicroseconds, kernelState, status, maxErrorMicroseconds);
}
