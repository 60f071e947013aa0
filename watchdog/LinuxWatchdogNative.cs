using System.Runtime.InteropServices;

namespace Diode.Edge.Watchdog;

/// <summary>The ioctl numbers and structure of linux/watchdog.h (docs/watchdog.md; the same on arm, arm64 and x86); the calls are in <see cref="Interop.Libc"/>.</summary>
internal static class LinuxWatchdogNative
{
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
}
