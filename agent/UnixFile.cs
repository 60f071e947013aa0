using Diode.Edge.Interop;

namespace Diode.Edge.Agent;

/// <summary>
/// What a path is before it is opened (a regular file, a directory, a FIFO, a device…), its owner and its mode, from
/// statx(2), whose struct has one layout on every architecture (unlike struct stat, which differs between x86-64 and
/// the Pi's ARM); glibc has it since 2.28. Opening a FIFO blocks and reading /dev/zero never ends, so a file the agent
/// reads is looked at first.
/// </summary>
internal static class UnixFile
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
        Libc.StatX(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, out var status) == 0 ? Convert(status) : null;

    /// <summary>The status of what <paramref name="path"/> names, symbolic links followed; null when there is nothing there (or a link leads nowhere).</summary>
    public static (int Type, UnixFileMode Mode, uint Uid, long Size)? Stat(string path) =>
        Libc.StatX(AtFdCwd, path, 0, StatxBasicStats, out var status) == 0 ? Convert(status) : null;

    /// <summary>The effective user id of this process.</summary>
    public static uint EffectiveUid => Libc.GetEUid();

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

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;

    private static (int Type, UnixFileMode Mode, uint Uid, long Size) Convert(Libc.StatxBuffer status) =>
        (status.Mode & TypeMask, (UnixFileMode)(status.Mode & 0xFFF), status.Uid, (long)status.Size);
}
