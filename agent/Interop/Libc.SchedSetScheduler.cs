using System.Runtime.InteropServices;

namespace Diode.Edge.Interop;

internal static partial class Libc
{
    /// <summary>SCHED_RR.</summary>
    public const int SchedRoundRobin = 2;

    /// <summary>sched_setscheduler(2) with a <c>struct sched_param</c> (its one int, the priority); 0 or -1 with errno.</summary>
    [LibraryImport(Library, EntryPoint = "sched_setscheduler", SetLastError = true)]
    public static unsafe partial int SchedSetScheduler(int pid, int policy, int* priority);
}
