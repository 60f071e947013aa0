using System.Runtime.InteropServices;

namespace Diode.Edge.Interop;

internal static partial class Libc
{
    /// <summary>gettid(2): the calling thread's id (never fails).</summary>
    [LibraryImport(Library, EntryPoint = "gettid")]
    public static partial int GetTid();
}
