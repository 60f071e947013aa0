using System.Runtime.InteropServices;

namespace Diode.Edge.Contract.Interop;

internal static partial class Libc
{
    /// <summary>getrandom(2): bytes from the kernel's CSPRNG; the count written, or -1 with errno.</summary>
    [LibraryImport(Library, EntryPoint = "getrandom", SetLastError = true)]
    public static unsafe partial nint GetRandom(byte* buffer, nuint length, uint flags);
}
