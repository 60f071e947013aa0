using System.Runtime.InteropServices;

namespace Diode.Edge.Watchdog.Interop;

internal static partial class Libc
{
    /// <summary>ioctl(2) whose argument is a pointer (to an int or a struct, as the request says); 0 (or a request's value) or -1 with errno.</summary>
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static unsafe partial int Ioctl(int fd, nuint request, void* argument);
}
