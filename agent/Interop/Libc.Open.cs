using System.Runtime.InteropServices;

namespace Diode.Edge.Interop;

internal static partial class Libc
{
    /// <summary>O_RDONLY.</summary>
    public const int ORdOnly = 0x0;

    /// <summary>O_RDWR.</summary>
    public const int ORdWr = 0x2;

    /// <summary>O_CLOEXEC: not inherited by child programs.</summary>
    public const int OCloExec = 0x80000;

    /// <summary>open(2): a file descriptor, or -1 with errno.</summary>
    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);
}
