using System.Runtime.InteropServices;

namespace Diode.Edge.Agent;

/// <summary>
/// What a path is before it is opened (a regular file, a directory, a FIFO, a device…), its owner and its mode, from
/// stat(2) through the runtime's own libSystem.Native (whose FileStatus starts with flags, mode, uid, gid and size on
/// every architecture, unlike libc's struct stat). Opening a FIFO blocks and reading /dev/zero never ends, so a file
/// the agent reads is looked at first.
/// </summary>
internal static partial class UnixFile
{
    public const int TypeMask = 0xF000;
    public const int Fifo = 0x1000;
    public const int CharacterDevice = 0x2000;
    public const int Directory = 0x4000;
    public const int BlockDevice = 0x6000;
    public const int Regular = 0x8000;
    public const int SymbolicLink = 0xA000;
    public const int Socket = 0xC000;

    /// <summary>The status of <paramref name="path"/> itself (a symbolic link is not followed); null when there is nothing there.</summary>
    public static (int Type, UnixFileMode Mode, uint Uid, long Size)? LStat(string path) =>
        SystemNativeLStat(path, out var status) == 0 ? Convert(status) : null;

    /// <summary>The status of what <paramref name="path"/> names, symbolic links followed; null when there is nothing there (or a link leads nowhere).</summary>
    public static (int Type, UnixFileMode Mode, uint Uid, long Size)? Stat(string path) =>
        SystemNativeStat(path, out var status) == 0 ? Convert(status) : null;

    /// <summary>The effective user id of this process.</summary>
    public static uint EffectiveUid => GetEUid();

    /// <summary>"a directory", "a FIFO (named pipe)"…, for a line a user reads.</summary>
    public static string Describe(int type) => type switch
    {
        Regular => "a regular file",
        Directory => "a directory",
        Fifo => "a FIFO (named pipe)",
        CharacterDevice => "a character device",
        BlockDevice => "a block device",
        SymbolicLink => "a symbolic link",
        Socket => "a socket",
        _ => "not a regular file",
    };

    private static (int Type, UnixFileMode Mode, uint Uid, long Size) Convert(FileStatus status) =>
        (status.Mode & TypeMask, (UnixFileMode)(status.Mode & 0xFFF), status.Uid, status.Size);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SystemNativeStat(string path, out FileStatus status);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SystemNativeLStat(string path, out FileStatus status);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEUid();

    /// <summary>The leading fields of libSystem.Native's FileStatus; the size leaves room for the fields after them.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 512)]
    private struct FileStatus
    {
        public int Flags;
        public int Mode;
        public uint Uid;
        public uint Gid;
        public long Size;
    }
}
