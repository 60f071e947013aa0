namespace Diode.Edge.Contract.Interop;

/// <summary>
/// The C library functions the contract library calls, one file each, named as in C in PascalCase, as in the agent's
/// <c>Interop/Libc.*.cs</c> (the library references no project of this repository, so it has its own).
/// </summary>
internal static partial class Libc
{
    /// <summary>glibc (the runtime probes <c>libc.so</c> variants).</summary>
    private const string Library = "libc";
}
