using System.Xml.Linq;
using Diode.Edge.Tests.Support;

namespace Diode.Edge.Tests.Contract;

/// <summary>The wire contract library is referenced alone by a consumer, so it must reference no other project of this repository.</summary>
[Trait("Tier", Tiers.Unit)]
public sealed class ContractStandsAloneTests
{
    private static readonly string ProjectPath = Path.Combine(RepoRoot.Path, "agent", "Contract", "Diode.Edge.Contract.csproj");

    [Fact]
    public void The_contract_library_has_no_project_reference()
    {
        var project = XDocument.Load(ProjectPath);

        var references = project.Descendants().Where(e => e.Name.LocalName == "ProjectReference").Select(e => (string?)e.Attribute("Include")).ToList();

        Assert.True(references.Count == 0, $"{ProjectPath} references {string.Join(", ", references)}: the contract library must stand alone (NuGet packages only)");
    }

    [Fact]
    public void The_contract_library_is_its_own_assembly()
    {
        Assert.Equal("Diode.Edge.Contract", typeof(Diode.Edge.Contract.FrameVerifier).Assembly.GetName().Name);
        Assert.DoesNotContain(typeof(Diode.Edge.Contract.FrameVerifier).Assembly.GetReferencedAssemblies(), a => a.Name is { } name && name.StartsWith("Diode.Edge.", StringComparison.Ordinal) || a.Name == "diode-edge");
    }
}
