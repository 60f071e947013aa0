using System.Runtime.InteropServices;

namespace Diode.Edge.Interop;

internal static partial class Libc
{
    /// <summary>statx(2) (glibc 2.28+); 0 or -1 with errno.</summary>
    [LibraryImport(Library, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int StatX(int dirFd, string path, int flags, uint mask, out StatxBuffer status);

    /// <summary>struct statx (linux/stat.h): the leading fields; 256 bytes in all, the same on every architecture.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    public struct StatxBuffer
    {
        [FieldOffset(20)]
        public uint Uid;

        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(40)]
        public ulong Size;
    }
}
