using System.Runtime.InteropServices;
using Diode.Edge.Interop;

namespace Diode.Edge.Watchdog;

/// <summary>fsync(2) on a directory, so a rename in it survives a power cut (.NET has no way to open a directory).</summary>
public static class DirectorySync
{
    /// <summary>Flushes <paramref name="directory"/>'s entries to disk; an <see cref="IOException"/> names the errno.</summary>
    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // Read-only, without O_DIRECTORY (its value differs between x86 and arm): opening a directory so works the same.
        int fd = Libc.Open(directory, Libc.ORdOnly | Libc.OCloExec);
        if (fd < 0)
        {
            throw new IOException($"open {directory}: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            if (Libc.FSync(fd) != 0)
            {
                throw new IOException($"fsync {directory}: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = Libc.Close(fd);
        }
    }
}
