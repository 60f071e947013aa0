namespace Diode.Edge.Bench;

/// <summary>A temporary directory for one benchmark run, deleted with everything in it.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("diode-edge-bench-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
