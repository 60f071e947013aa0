using System.Runtime.InteropServices;
using Diode.Edge.Contract.Interop;

namespace Diode.Edge.Contract;

/// <summary>
/// Random bytes from the kernel's CSPRNG through <c>getrandom(2)</c> (flags 0: blocks only until the pool is first
/// initialised at boot, then never). <see cref="System.Security.Cryptography.RandomNumberGenerator"/> would serve as
/// well, but on Linux it calls OpenSSL's <c>RAND_bytes</c>, and loading libssl and libcrypto for 32 bytes at start
/// costs the agent 3.4 MB resident for its whole life (measured); OpenSSL seeds itself from this same call.
/// </summary>
internal static class KernelRandom
{
    private const int EINTR = 4;

    public static unsafe void Fill(Span<byte> destination)
    {
        fixed (byte* start = destination)
        {
            int filled = 0;
            while (filled < destination.Length)
            {
                nint read = Libc.GetRandom(start + filled, (nuint)(destination.Length - filled), 0);
                if (read > 0)
                {
                    filled += (int)read;
                }
                else if (Marshal.GetLastPInvokeError() != EINTR)
                {
                    throw new IOException($"getrandom(2) failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
                }
            }
        }
    }
}
