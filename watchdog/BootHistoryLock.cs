using System.Runtime.InteropServices;
using Diode.Edge.Interop;

namespace Diode.Edge.Watchdog;

/// <summary>
/// An exclusive flock(2) on the boot history's directory, held while one process reads, changes and writes the history:
/// the agent recording a closed gate and <c>diode-edge watchdog reset-loop clear</c> run as another process (and user)
/// then never write over each other's change, nor the same temporary file. The directory is locked rather than a lock
/// file so nothing is created that root could own and the agent's user could not open; the kernel drops the lock when
/// its holder dies, SIGKILL included. Held for one read and one write, so a waiter blocks for milliseconds.
/// </summary>
internal sealed class BootHistoryLock : IDisposable
{
    private const int LockEx = 2;
    private const int LockUn = 8;
    private const int EIntr = 4;

    private int _fd;

    private BootHistoryLock(int fd) => _fd = fd;

    /// <summary>Blocks until this process holds the lock on <paramref name="directory"/>; an <see cref="IOException"/> names the errno.</summary>
    public static BootHistoryLock Acquire(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new BootHistoryLock(-1);
        }

        // Read-only, without O_DIRECTORY (its value differs between x86 and arm), as DirectorySync opens it.
        int fd = Libc.Open(directory, Libc.ORdOnly | Libc.OCloExec);
        if (fd < 0)
        {
            throw new IOException($"open {directory}: errno {Marshal.GetLastPInvokeError()}");
        }

        while (Libc.Flock(fd, LockEx) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != EIntr)
            {
                _ = Libc.Close(fd);
                throw new IOException($"flock {directory}: errno {errno}");
            }
        }

        return new BootHistoryLock(fd);
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            _ = Libc.Flock(fd, LockUn);
            _ = Libc.Close(fd);
        }
    }
}
