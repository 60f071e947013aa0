using System.Runtime.InteropServices;

namespace Diode.Edge.Interop;

internal static partial class Libc
{
    /// <summary>kill(2): <paramref name="signal"/> to a process, or to a process group when <paramref name="pid"/> is negative; 0 or -1 with errno.</summary>
    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
