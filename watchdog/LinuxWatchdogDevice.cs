using System.Runtime.InteropServices;
using System.Text;
using Diode.Edge.Interop;

namespace Diode.Edge.Watchdog;

/// <summary>A Linux watchdog device (<c>/dev/watchdog*</c>) through its ioctl interface. Opening it arms the timer.</summary>
public sealed class LinuxWatchdogDevice : IWatchdogDevice
{
    private int _fd;

    private LinuxWatchdogDevice(int fd, string path, WatchdogInfo info)
    {
        _fd = fd;
        Path = path;
        Info = info;
    }

    public string Path { get; }

    public WatchdogInfo Info { get; }

    /// <summary>Opens (and so arms) the device; <see cref="WatchdogException"/> with the errno when it cannot.</summary>
    public static unsafe LinuxWatchdogDevice Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        int fd = Libc.Open(path, Libc.ORdWr | Libc.OCloExec);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new WatchdogException($"{path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        LinuxWatchdogNative.WatchdogInfoStruct raw;
        if (Libc.Ioctl(fd, LinuxWatchdogNative.GetSupport, &raw) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            Libc.Close(fd);
            throw new WatchdogException($"{path}: not a watchdog device (WDIOC_GETSUPPORT: {Marshal.GetPInvokeErrorMessage(errno)})", errno);
        }

        string identity = Encoding.ASCII.GetString(new ReadOnlySpan<byte>(raw.Identity, 32)).TrimEnd('\0');
        int bootStatus = 0;
        bool byWatchdog = Libc.Ioctl(fd, LinuxWatchdogNative.GetBootStatus, &bootStatus) == 0 && (bootStatus & WatchdogInfo.CardReset) != 0;
        return new LinuxWatchdogDevice(fd, path, new WatchdogInfo(identity, raw.Options, raw.FirmwareVersion, byWatchdog));
    }

    public unsafe TimeSpan SetTimeout(TimeSpan timeout)
    {
        int seconds = (int)Math.Ceiling(timeout.TotalSeconds);
        Check(Libc.Ioctl(_fd, LinuxWatchdogNative.SetTimeout, &seconds), "WDIOC_SETTIMEOUT");
        return TimeSpan.FromSeconds(seconds);
    }

    public unsafe TimeSpan GetTimeout()
    {
        int seconds = 0;
        Check(Libc.Ioctl(_fd, LinuxWatchdogNative.GetTimeout, &seconds), "WDIOC_GETTIMEOUT");
        return TimeSpan.FromSeconds(seconds);
    }

    public unsafe TimeSpan? GetTimeLeft()
    {
        int seconds = 0;
        return Libc.Ioctl(_fd, LinuxWatchdogNative.GetTimeLeft, &seconds) == 0 ? TimeSpan.FromSeconds(seconds) : null;
    }

    /// <summary>WDIOC_KEEPALIVE; no allocation, so the pet thread can call it in its loop.</summary>
    public unsafe void Keepalive()
    {
        int ignored = 0;
        if (Libc.Ioctl(_fd, LinuxWatchdogNative.Keepalive, &ignored) != 0)
        {
            byte ping = 0;
            Check((int)Libc.Write(_fd, &ping, 1) - 1, "keepalive write");
        }
    }

    public unsafe void MagicClose()
    {
        byte v = (byte)'V';
        Check((int)Libc.Write(_fd, &v, 1) - 1, "magic close");
    }

    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0)
        {
            Libc.Close(fd);
        }
    }

    private void Check(int result, string what)
    {
        if (result != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new WatchdogException($"{Path}: {what}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
    }
}
