namespace Diode.Edge.Sensors.Interop;

/// <summary>
/// The C library functions this project calls, one file each (<c>Libc.Open.cs</c>, …), named as in C in PascalCase; where
/// the function sets errno the import has <c>SetLastError</c>, read with <c>Marshal.GetLastPInvokeError</c>. The agent and
/// the watchdog project have their own <c>Interop/Libc.*.cs</c>: this project references neither, so the few functions both
/// use (open, close, ioctl) are declared in each, the same way.
/// </summary>
internal static partial class Libc
{
    /// <summary>glibc (the runtime probes <c>libc.so</c> variants).</summary>
    private const string Library = "libc";
}
