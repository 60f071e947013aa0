using System.Runtime.InteropServices;

namespace Diode.Edge.Interop;

internal static partial class Libc
{
    /// <summary>prctl(2); 0 (or an option's value) or -1 with errno.</summary>
    [LibraryImport(Library, EntryPoint = "prctl", SetLastError = true)]
    public static partial int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
