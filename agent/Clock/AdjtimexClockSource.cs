using Diode.Edge.Interop;

namespace Diode.Edge.Agent.Clock;

/// <summary>
/// Reads the kernel's clock discipline with <c>adjtimex(2)</c> (modes 0: read only, no privilege needed), as
/// <c>timedatectl</c> does. One system call per read, nothing allocated (the <c>struct timex</c> is on the stack).
/// </summary>
internal sealed class AdjtimexClockSource : IClockSyncSource
{
    /// <summary><c>struct timex</c> on 64-bit Linux (x86-64, arm64) is 208 bytes; more is reserved, zeroed.</summary>
    private const int TimexSize = 256;

    // Offsets in struct timex (LP64): modes (u32) 0, offset 8, freq 16, maxerror 24, esterror 32, status (int) 40.
    private const int MaxErrorOffset = 24;
    private const int StatusOffset = 40;

    public unsafe ClockSync Read()
    {
        if (!Environment.Is64BitProcess)
        {
            // 32-bit ARM lays struct timex out with 4-byte longs; this agent is not built for it (see Packaging).
            return ClockSync.FromKernel(-1, ClockSync.StaUnsync, ClockSync.MaxErrorLimitMicroseconds);
        }

        byte* timex = stackalloc byte[TimexSize];
        new Span<byte>(timex, TimexSize).Clear();
        int state = Libc.Adjtimex(timex);
        if (state < 0)
        {
            return ClockSync.FromKernel(-1, ClockSync.StaUnsync, ClockSync.MaxErrorLimitMicroseconds);
        }

        long maxError = *(long*)(timex + MaxErrorOffset);
        int status = *(int*)(timex + StatusOffset);
        return ClockSync.FromKernel(state, status, maxError);
    }
}
