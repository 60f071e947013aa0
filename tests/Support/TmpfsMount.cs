using System.Diagnostics;

namespace Diode.Edge.Tests.Support;

/// <summary>A real, small tmpfs mount (a disk that fills up or goes read-only on demand); needs root, as CI has.</summary>
public sealed class TmpfsMount : IDisposable
{
    private readonly bool _ownsDirectory;

    private TmpfsMount(string path, bool ownsDirectory)
    {
        Path = path;
        _ownsDirectory = ownsDirectory;
    }

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (e.g. "1m") at <paramref name="at"/>, or at a new temporary directory.</summary>
    public static TmpfsMount Create(string size, string? at = null)
    {
        string path = at ?? Directory.CreateTempSubdirectory("diode-edge-tmpfs-").FullName;
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path);
        return new TmpfsMount(path, at is null);
    }

    public void Remount(string mode) => Run("mount", "-o", $"remount,{mode}", Path);

    public void Dispose()
    {
        Run("umount", "-l", Path);
        if (_ownsDirectory)
        {
            Directory.Delete(Path);
        }
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Tool.Start(psi);
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed ({error.Trim()}): these tests need root to mount a small tmpfs (CI runs as root)");
    }
}
