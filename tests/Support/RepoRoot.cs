namespace Diode.Edge.Tests.Support;

/// <summary>The checkout the tests were built from (found by walking up to Diode.Edge.sln).</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Diode.Edge.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Diode.Edge.sln not found above " + AppContext.BaseDirectory);
    }
}
