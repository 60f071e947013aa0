using System.Runtime.InteropServices;

namespace Diode.Edge.Interop;

internal static partial class Libc
{
    /// <summary>adjtimex(2) on a zeroed <c>struct timex</c> (modes 0: read only); the clock state, or -1 with errno.</summary>
    [LibraryImport(Library, EntryPoint = "adjtimex", SetLastError = true)]
    public static unsafe partial int Adjtimex(byte* timex);
}
