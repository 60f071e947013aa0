using System.Runtime.InteropServices;

namespace Diode.Edge.Interop;

internal static partial class Libc
{
    /// <summary>close(2): 0, or -1 with errno.</summary>
    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
