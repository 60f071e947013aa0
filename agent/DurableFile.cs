using Diode.Edge.Watchdog;

namespace Diode.Edge.Agent;

/// <summary>
/// Replaces a small file so that a power cut or a SIGKILL leaves either the old content or the new, never half: a
/// temporary file beside it, fsync, rename over the old one, fsync of the directory.
/// </summary>
internal static class DurableFile
{
    public static void Replace(string path, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(path);
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        string temporary = path + ".tmp";
        File.Delete(temporary); // one left by a writer killed mid-write, perhaps another user's
        using (var stream = new FileStream(temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        DirectorySync.Flush(directory);
    }
}
