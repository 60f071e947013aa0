namespace Diode.Edge.Interop;

/// <summary>
/// The C library functions the agent, the watchdog and the sensors call, declared once each, one file per function
/// (<c>Libc.Open.cs</c>, …), named as in C in PascalCase; where the function sets errno the import has
/// <c>SetLastError</c>, read with <c>Marshal.GetLastPInvokeError</c>. Only the contract library keeps its one call
/// (getrandom) to itself, because it must stand alone.
/// </summary>
internal static partial class Libc
{
    /// <summary>glibc (the runtime probes <c>libc.so</c> variants).</summary>
    private const string Library = "libc";
}
