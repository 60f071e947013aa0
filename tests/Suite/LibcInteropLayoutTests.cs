using System.Text.RegularExpressions;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Suite;

/// <summary>
/// One libc interop layer: every libc function the agent, the watchdog and the sensors call is declared once, in
/// <c>agent/Interop/Libc.&lt;Function&gt;.cs</c>; only the contract library, which must stand alone, keeps its own
/// (<c>agent/Contract/Interop</c>). A <c>LibraryImport("libc")</c> anywhere else, a file that declares another function
/// than its name says, or a function declared in both layers fails, named.
/// </summary>
[Trait("Tier", Tiers.Unit)]
public sealed partial class LibcInteropLayoutTests
{
    private static readonly string[] Projects = ["agent", "watchdog", "sensors"];
    private static readonly string[] Layers = [Path.Combine("agent", "Interop"), Path.Combine("agent", "Contract", "Interop")];

    [Fact]
    public void Libc_is_imported_only_in_the_interop_layers()
    {
        var outside = Projects
            .SelectMany(project => Sources(Path.Combine(RepoRoot.Path, project)))
            .Where(f => !Layers.Any(layer => f.StartsWith(Path.Combine(RepoRoot.Path, layer) + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            .Where(f => LibcImport().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(RepoRoot.Path, f));
        Assert.Empty(outside);
        Assert.False(Directory.Exists(Path.Combine(RepoRoot.Path, "watchdog", "Interop")), "watchdog/Interop: the watchdog's libc functions belong in agent/Interop");
        Assert.False(Directory.Exists(Path.Combine(RepoRoot.Path, "sensors", "Interop")), "sensors/Interop: the sensors' libc functions belong in agent/Interop");
    }

    [Fact]
    public void Each_function_is_declared_once_in_a_file_named_for_it()
    {
        var declaredIn = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string layer in Layers)
        {
            var files = Directory.EnumerateFiles(Path.Combine(RepoRoot.Path, layer), "Libc.*.cs").ToList();
            Assert.NotEmpty(files);
            foreach (string file in files)
            {
                string function = Path.GetFileNameWithoutExtension(file)["Libc.".Length..];
                string at = Path.GetRelativePath(RepoRoot.Path, file);
                var names = EntryPoint().Matches(File.ReadAllText(file)).Select(m => m.Groups["name"].Value).Distinct().ToList();
                Assert.True(names.Count == 1 && string.Equals(names[0].Replace("_", string.Empty, StringComparison.Ordinal), function, StringComparison.OrdinalIgnoreCase),
                    $"{at} declares {string.Join(", ", names)}");
                Assert.True(declaredIn.TryAdd(names[0], at), $"{names[0]} is declared in {at} and in {declaredIn.GetValueOrDefault(names[0])}");
            }
        }

        Assert.Contains("ioctl", declaredIn.Keys);
        Assert.Contains("getrandom", declaredIn.Keys);
    }

    private static IEnumerable<string> Sources(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary>An import of libc by name, or a constant naming it for imports (as <c>Libc.Library</c> does).</summary>
    [GeneratedRegex(@"LibraryImport\(\s*""libc""|const\s+string\s+\w+\s*=\s*""libc""")]
    private static partial Regex LibcImport();

    [GeneratedRegex(@"EntryPoint\s*=\s*""(?<name>\w+)""")]
    private static partial Regex EntryPoint();
}
