namespace Diode.Edge.Tests.Doctor;

/// <summary>A scratch tree laid out like a Pi's root filesystem, for <c>diode-edge doctor --root</c>.</summary>
internal sealed class FakeRoot : IDisposable
{
    public FakeRoot()
    {
        Path = Directory.CreateTempSubdirectory("diode-edge-root-").FullName;
    }

    public string Path { get; }

    public string Full(string absolute) => System.IO.Path.Join(Path, absolute);

    public FakeRoot File(string absolute, string content, UnixFileMode? mode = null)
    {
        string full = Full(absolute);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, content);
        if (mode is { } m)
        {
            System.IO.File.SetUnixFileMode(full, m);
        }

        return this;
    }

    /// <summary>A process in the fake /proc with <paramref name="target"/> open as fd 3.</summary>
    public FakeRoot Process(int pid, string comm, string target)
    {
        File($"/proc/{pid}/comm", comm + "\n");
        Directory.CreateDirectory(Full($"/proc/{pid}/fd"));
        System.IO.File.CreateSymbolicLink(Full($"/proc/{pid}/fd/3"), target);
        return this;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
