namespace Diode.Edge.Agent.Interop;

/// <summary>
/// The C library functions the agent calls, one file each (<c>Libc.Kill.cs</c>, …), named as in C in PascalCase; where
/// the function sets errno the import has <c>SetLastError</c>, read with <c>Marshal.GetLastPInvokeError</c>. The watchdog,
/// sensors and contract projects have their own <c>Interop/Libc.*.cs</c> for theirs (they do not reference the agent, nor each other).
/// </summary>
internal static partial class Libc
{
    /// <summary>glibc (the runtime probes <c>libc.so</c> variants).</summary>
    private const string Library = "libc";
}
