using System.Text.RegularExpressions;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Suite;

/// <summary>
/// Every libc function a project calls is declared once, in that project's <c>Interop/Libc.&lt;Function&gt;.cs</c>
/// (issue 20): a <c>LibraryImport("libc")</c> anywhere else, or a file there that declares another function, fails, named.
/// </summary>
[Trait("Tier", Tiers.Unit)]
public sealed partial class LibcInteropLayoutTests
{
    [Theory]
    [InlineData("agent")]
    [InlineData("watchdog")]
    [InlineData("sensors")]
    public void Libc_is_imported_only_in_the_projects_interop_folder_one_function_per_file(string project)
    {
        string root = Path.Combine(RepoRoot.Path, project);
        string interop = Path.Combine(root, "Interop");
        var sources = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        var outside = sources.Where(f => !f.StartsWith(interop + Path.DirectorySeparatorChar, StringComparison.Ordinal) && LibcImport().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(RepoRoot.Path, f));
        Assert.Empty(outside);

        var declared = Directory.EnumerateFiles(interop, "Libc.*.cs").ToList();
        Assert.NotEmpty(declared);
        foreach (string file in declared)
        {
            string function = Path.GetFileNameWithoutExtension(file)["Libc.".Length..];
            var names = EntryPoint().Matches(File.ReadAllText(file)).Select(m => m.Groups["name"].Value).Distinct().ToList();
            Assert.True(names.Count == 1 && string.Equals(names[0].Replace("_", string.Empty, StringComparison.Ordinal), function, StringComparison.OrdinalIgnoreCase),
                $"{Path.GetRelativePath(RepoRoot.Path, file)} declares {string.Join(", ", names)}");
        }
    }

    [GeneratedRegex(@"LibraryImport\(\s*""libc""")]
    private static partial Regex LibcImport();

    [GeneratedRegex(@"EntryPoint\s*=\s*""(?<name>\w+)""")]
    private static partial Regex EntryPoint();
}
