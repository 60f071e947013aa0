using System.Runtime.InteropServices;

namespace Diode.Edge.Interop;

internal static partial class Libc
{
    /// <summary>geteuid(2): the effective user id of this process (never fails).</summary>
    [LibraryImport(Library, EntryPoint = "geteuid")]
    public static partial uint GetEUid();
}
