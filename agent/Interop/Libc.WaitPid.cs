using System.Runtime.InteropServices;

namespace Diode.Edge.Interop;

internal static partial class Libc
{
    /// <summary>waitpid(2): the pid reaped, 0 with WNOHANG when it has not exited, or -1 with errno.</summary>
    [LibraryImport(Library, EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, out int status, int options);
}
