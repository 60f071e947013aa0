using System.Runtime.InteropServices;

namespace Diode.Edge.Watchdog;

/// <summary>open/write/ioctl/close from libc, and the ioctl numbers of linux/watchdog.h (docs/watchdog.md; the same on arm, arm64 and x86).</summary>
internal static partial class LinuxWatchdogNative
{
    public const int ORdWr = 0x2;
    public const int OCloExec = 0x80000;
    public const uint GetSupport = 0x80285700;
    public const uint GetBootStatus = 0x80045702;
    public const uint Keepalive = 0x80045705;
    public const uint SetTimeout = 0xC0045706;
    public const uint GetTimeout = 0x80045707;
    public const uint GetTimeLeft = 0x8004570A;

    /// <summary>struct watchdog_info: options, firmware_version, identity[32] (40 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct WatchdogInfoStruct
    {
        public uint Options;
        public uint FirmwareVersion;
        public fixed byte Identity[32];
    }

    public const int SchedRoundRobin = 2;

    [LibraryImport("libc", EntryPoint = "gettid")]
    public static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    public static unsafe partial int SchedSetScheduler(int pid, int policy, int* priority);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static unsafe partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static unsafe partial int Ioctl(int fd, nuint request, int* argument);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static unsafe partial int Ioctl(int fd, nuint request, WatchdogInfoStruct* argument);
}
