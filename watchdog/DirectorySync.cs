using System.Runtime.InteropServices;

namespace Diode.Edge.Watchdog;

/// <summary>fsync(2) on a directory, so a rename in it survives a power cut (.NET has no way to open a directory).</summary>
public static partial class DirectorySync
{
    private const int ORdOnly = 0x0;

    /// <summary>Flushes <paramref name="directory"/>'s entries to disk; an <see cref="IOException"/> names the errno.</summary>
    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // Read-only, without O_DIRECTORY (its value differs between x86 and arm): opening a directory so works the same.
        int fd = LinuxWatchdogNative.Open(directory, ORdOnly | LinuxWatchdogNative.OCloExec);
        if (fd < 0)
        {
            throw new IOException($"open {directory}: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            if (FSync(fd) != 0)
            {
                throw new IOException($"fsync {directory}: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = LinuxWatchdogNative.Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);
}
